/* SPDX-License-Identifier: Apache-2.0 */
/* An LD_PRELOAD library that does nothing: `make bench` preloads it to show
 * the floor every preload pays (mapping one more object), so the shim's
 * own share of the cost can be read off the table. */
int sandboxec_bench_empty_preload;
