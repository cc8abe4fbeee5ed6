#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the small seed corpora of the host-runtime fuzzers:
tests/fuzz/corpus/elfread/ (crafted ELF64/ELF32 objects with PT_INTERP and
PT_DYNAMIC) and tests/fuzz/corpus/ldcache/ (old, new and combined
ld.so.cache files with a glibc-hwcaps extension). Run from the top."""
import os
import struct

def elf64(interp=None, needed=(), rpath=None, runpath=None, soname=None, etype=3, flags_1=0):
    strtab = b"\0"
    offs = {}
    def s(x):
        nonlocal strtab
        if x not in offs:
            offs[x] = len(strtab)
            strtab += x.encode() + b"\0"
        return offs[x]
    dyn = []
    for n in needed:
        dyn.append((1, s(n)))
    if soname:
        dyn.append((14, s(soname)))
    if rpath:
        dyn.append((15, s(rpath)))
    if runpath:
        dyn.append((29, s(runpath)))
    if flags_1:
        dyn.append((0x6ffffffb, flags_1))
    nph = 3 if interp else 2
    phoff = 64
    interp_off = phoff + 56 * nph
    interp_b = (interp.encode() + b"\0") if interp else b""
    str_off = interp_off + len(interp_b)
    dyn_off = (str_off + len(strtab) + 7) & ~7
    dyn.append((5, str_off))          # DT_STRTAB (vaddr == offset)
    dyn.append((10, len(strtab)))     # DT_STRSZ
    dyn.append((0, 0))
    dyn_b = b"".join(struct.pack("<qQ", t, v) for t, v in dyn)
    size = dyn_off + len(dyn_b)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    eh = ident + struct.pack("<HHIQQQIHHHHHH", etype, 62, 1, 0, phoff, 0, 0, 64, 56, nph, 64, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 1, 5, 0, 0, 0, size, size, 0x1000)
    if interp:
        ph += struct.pack("<IIQQQQQQ", 3, 4, interp_off, interp_off, interp_off, len(interp_b), len(interp_b), 1)
    ph += struct.pack("<IIQQQQQQ", 2, 6, dyn_off, dyn_off, dyn_off, len(dyn_b), len(dyn_b), 8)
    out = eh + ph + interp_b + strtab
    out += b"\0" * (dyn_off - len(out)) + dyn_b
    return out

def cache_new(entries, hwcaps=()):
    # entries: (key, value, hwcap) ; strings placed after the table
    hdr_len, ent_len = 48, 24
    n = len(entries)
    strings = b""
    soff = {}
    base = hdr_len + ent_len * n
    def s(x):
        nonlocal strings
        if x not in soff:
            soff[x] = base + len(strings)
            strings += x.encode() + b"\0"
        return soff[x]
    table = b""
    for key, value, hwcap in entries:
        table += struct.pack("<iIIIQ", 0x0303, s(key), s(value), 0, hwcap)
    hw = [s(h) for h in hwcaps]
    ext = b""
    ext_off = 0
    if hwcaps:
        cur = base + len(strings)
        ext_off = (cur + 7) & ~7
        pad = ext_off - cur
        arr_off = ext_off + 8 + 16
        ext = b"\0" * pad + struct.pack("<II", 0xeaa42174, 1) + struct.pack("<IIII", 1, 0, arr_off, 4 * len(hw))
        ext += b"".join(struct.pack("<I", h) for h in hw)
    head = b"glibc-ld.so.cache1.1" + struct.pack("<IIB3sI12s", n, len(strings), 2, b"\0" * 3, ext_off, b"\0" * 12)
    return head + table + strings + ext

def cache_old(entries):
    n = len(entries)
    strings = b""
    soff = {}
    def s(x):
        nonlocal strings
        if x not in soff:
            soff[x] = len(strings)
            strings += x.encode() + b"\0"
        return soff[x]
    table = b"".join(struct.pack("<iII", 0x0303, s(k), s(v)) for k, v in entries)
    return b"ld.so-1.7.0\0" + struct.pack("<I", n) + table + strings

def main():
    e = "tests/fuzz/corpus/elfread/"
    seeds = {
        "exe_interp": elf64("/lib64/ld-linux-x86-64.so.2", ["libc.so.6", "libm.so.6"]),
        "lib_runpath": elf64(None, ["libz.so.1"], runpath="$ORIGIN/../lib:/opt/x", soname="libfoo.so.1"),
        "lib_rpath": elf64(None, ["libbar.so"], rpath="$ORIGIN:${LIB}:$PLATFORM/x", soname="libbar.so"),
        "pie_flags": elf64("/lib/ld.so", [], flags_1=0x08000000, etype=3),
        "static_exec": elf64(None, [], etype=2),
    }
    # Descending by ldconfig order, hwcaps entries of a name first.
    ext = 1 << 62
    c = "tests/fuzz/corpus/ldcache/"
    caches = {
        "new_hwcaps": cache_new([
            ("libz.so.1", "/usr/lib/glibc-hwcaps/x86-64-v3/libz.so.1", ext | 0),
            ("libz.so.1", "/usr/lib/libz.so.1", 0),
            ("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0),
            ("libanl.so.1", "/lib/libanl.so.1", 0),
        ], ["x86-64-v3", "x86-64-v2"]),
        "new_plain": cache_new([("libm.so.6", "/lib/libm.so.6", 0), ("libc.so.6", "/lib/libc.so.6", 0)]),
    }
    old = cache_old([("libc.so.6", "/lib/libc.so.6")])
    pad = (-len(old)) % 8
    caches["old_and_new"] = old + b"\0" * pad + cache_new([("libc.so.6", "/lib/libc.so.6", 0)])
    caches["old_only"] = old
    for d, items in ((e, seeds), (c, caches)):
        os.makedirs(d, exist_ok=True)
        for name, data in items.items():
            with open(d + name, "wb") as f:
                f.write(data)

if __name__ == "__main__":
    main()
