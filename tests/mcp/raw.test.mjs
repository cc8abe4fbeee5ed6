// SPDX-License-Identifier: Apache-2.0
// Raw-protocol tests for `sandboxec --mode mcp`, no SDK: bytes in, lines out.
// Malformed JSON, unknown methods, notifications, ids of every JSON type,
// version negotiation in both eras, 16 MiB lines, split and merged writes,
// end of input. The server must keep running through all of it.
// Prints "ok - NAME" / "not ok - NAME: why".
//
//   SBX=build/sandboxec node raw.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SBX = process.env.SBX;
const work = mkdtempSync(join(tmpdir(), 'sbx-mcp-raw-'));
const POLICY = [
	'--mode', 'mcp', '--ignore-if-missing', '--fs', 'rx:/usr', '--fs', 'rx:/lib',
	'--fs', 'rx:/lib64', '--fs', 'rx:/bin', '--fs', `rw:${work}`, '--fs', 'rw:/dev/null',
];
const sleep = ms => new Promise(r => setTimeout(r, ms));
const MODERN = {
	'io.modelcontextprotocol/protocolVersion': '2026-07-28',
	'io.modelcontextprotocol/clientCapabilities': {},
};

class Server {
	constructor(extra = []) {
		this.proc = spawn(SBX, [...POLICY, ...extra], { stdio: ['pipe', 'pipe', 'pipe'] });
		this.lines = [];
		this.waiters = [];
		this.stderr = '';
		this.garbage = [];
		let buf = '';
		this.proc.stdout.setEncoding('utf8');
		this.proc.stdout.on('data', d => {
			buf += d;
			let i;
			while ((i = buf.indexOf('\n')) >= 0) {
				const line = buf.slice(0, i);
				buf = buf.slice(i + 1);
				let msg;
				try {
					msg = JSON.parse(line);
				} catch {
					this.garbage.push(line.slice(0, 200));
					continue;
				}
				if (msg.jsonrpc !== '2.0') this.garbage.push(line.slice(0, 200));
				this.lines.push(msg);
				this.wake();
			}
		});
		this.proc.stderr.on('data', d => (this.stderr += d));
		this.exited = new Promise(r => this.proc.on('exit', (code, sig) => r({ code, sig })));
		this.proc.stdin.on('error', () => {});
	}
	wake() {
		const w = this.waiters;
		this.waiters = [];
		w.forEach(f => f());
	}
	write(data) {
		return new Promise(r => this.proc.stdin.write(data, r));
	}
	send(msg) {
		return this.write(JSON.stringify(msg) + '\n');
	}
	// Next message, in arrival order.
	async next(ms = 5000) {
		const end = Date.now() + ms;
		while (!this.lines.length) {
			if (Date.now() > end) throw new Error('no response in time');
			await new Promise(r => {
				this.waiters.push(r);
				setTimeout(r, 50);
			});
		}
		return this.lines.shift();
	}
	// Sends a request and returns its response (asserting nothing came first).
	async call(msg, ms) {
		await this.send(msg);
		return this.next(ms);
	}
	// Asserts the server is alive and that nothing else was pending.
	async ping(tag = 'alive') {
		const r = await this.call({ jsonrpc: '2.0', id: tag, method: 'ping' });
		assert.deepEqual(r, { jsonrpc: '2.0', id: tag, result: {} }, `stray ${JSON.stringify(r)}`);
	}
	async close() {
		this.proc.stdin.end();
		return this.exited;
	}
}

let failures = 0;
async function test(name, fn) {
	try {
		await fn();
		console.log(`ok - ${name}`);
	} catch (e) {
		failures++;
		const why = (e && (e.stack || e.message)) || String(e);
		console.log(`not ok - ${name}: ${why.split('\n').slice(0, 5).join(' | ')}`);
	}
}

function assertError(r, code, id) {
	assert.equal(r.jsonrpc, '2.0');
	assert.equal(r.error?.code, code, JSON.stringify(r));
	assert.equal(typeof r.error.message, 'string');
	if (id === undefined) assert.ok(!('id' in r), `id present: ${JSON.stringify(r)}`);
	else assert.deepEqual(r.id, id);
}

const s = new Server();
const init = (id, version) => ({
	jsonrpc: '2.0', id, method: 'initialize',
	params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});
const exec = (id, args, extra = {}) => ({
	jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'exec', arguments: args, ...extra },
});

await test('raw initialize answers 2025-11-25', async () => {
	const r = await s.call(init(1, '2025-11-25'));
	assert.equal(r.id, 1);
	assert.equal(r.result.protocolVersion, '2025-11-25');
	assert.equal(r.result.serverInfo.name, 'sandboxec');
	assert.ok(r.result.capabilities.tools);
	await s.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
	await s.ping();
});

await test('raw malformed JSON lines are -32700 without id', async () => {
	const bad = ['{', '{"jsonrpc":"2.0","id":1,"method":"ping"', 'nul', '{"a":1}}',
		'{"jsonrpc":"2.0","id":1,"method":"ping"} trailing', "{'single':'quotes'}",
		'{"jsonrpc":"2.0","id":9,"id":10,"method":"ping"}'];
	for (const line of bad) {
		await s.write(line + '\n');
		assertError(await s.next(), -32700);
	}
	await s.write(Buffer.from([0xff, 0xfe, 0x0a])); // not UTF-8
	assertError(await s.next(), -32700);
	// Invalid UTF-8 right where the parser stops, so its error message
	// quotes it (found by fuzz_mcp): an error response, not a dead server.
	await s.write(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":1,"method":"x\\u1'),
		Buffer.from([0xcb, 0x99, 0x99, 0x0a])]));
	assertError(await s.next(), -32700);
	await s.ping();
});

await test('raw JSON that is not an object is -32600 without id', async () => {
	for (const line of ['5', '"str"', 'null', 'true', '[]', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]']) {
		await s.write(line + '\n');
		assertError(await s.next(), -32600);
	}
	await s.ping();
});

await test('raw unknown methods are -32601 with the id', async () => {
	assertError(await s.call({ jsonrpc: '2.0', id: 'u1', method: 'no/such' }), -32601, 'u1');
	assertError(await s.call({ jsonrpc: '2.0', id: 'u2', method: 'resources/list' }), -32601, 'u2');
	assertError(await s.call({ jsonrpc: '2.0', id: 'u3', method: 'prompts/list' }), -32601, 'u3');
	await s.ping();
});

await test('raw notifications are never answered', async () => {
	const notes = [
		{ jsonrpc: '2.0', method: 'notifications/initialized' },
		{ jsonrpc: '2.0', method: 'no/such/notification', params: { x: 1 } },
		{ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'nobody' } },
		{ jsonrpc: '2.0', method: 'notifications/cancelled', params: 'bad params' },
		{ jsonrpc: '2.0', method: 'notifications/cancelled' },
		{ jsonrpc: '1.0', method: 'wrong/version' },
		{ method: 'no/jsonrpc' },
		{ jsonrpc: '2.0', method: 'tools/call', params: { name: 'exec', arguments: { command: 'true' } } },
		{ jsonrpc: '2.0', method: 'ping' },
	];
	for (const n of notes) await s.send(n);
	await s.ping('after-notes');
});

await test('raw responses from the client are ignored', async () => {
	await s.send({ jsonrpc: '2.0', id: 77, result: {} });
	await s.send({ jsonrpc: '2.0', id: 78, error: { code: 1, message: 'x' } });
	await s.ping();
});

await test('raw string and number ids are echoed exactly', async () => {
	for (const id of ['abc', '', 'ünï', 0, 7, -3, 1.5, 9007199254740991, 1e3]) {
		const r = await s.call({ jsonrpc: '2.0', id, method: 'ping' });
		assert.deepEqual(r, { jsonrpc: '2.0', id, result: {} });
	}
	// Text-level: the id keeps its spelling as a JSON number.
	await s.write('{"jsonrpc":"2.0","id":12345678901234,"method":"ping"}\n');
	assert.equal((await s.next()).id, 12345678901234);
});

await test('raw null, object, array and boolean ids are -32600 without id', async () => {
	for (const id of [null, { a: 1 }, [1], true, false]) {
		assertError(await s.call({ jsonrpc: '2.0', id, method: 'ping' }), -32600);
	}
	await s.ping();
});

await test('raw bad envelopes are -32600 with the id', async () => {
	assertError(await s.call({ id: 'e1', method: 'ping' }), -32600, 'e1');
	assertError(await s.call({ jsonrpc: '1.0', id: 'e2', method: 'ping' }), -32600, 'e2');
	assertError(await s.call({ jsonrpc: 2, id: 'e3', method: 'ping' }), -32600, 'e3');
	assertError(await s.call({ jsonrpc: '2.0', id: 'e4', method: 5 }), -32600, 'e4');
	assertError(await s.call({ jsonrpc: '2.0', id: 'e5' }), -32600, 'e5');
	assertError(await s.call({ jsonrpc: '2.0', id: 'e6', method: 'ping', params: 3 }), -32600, 'e6');
	assertError(await s.call({ jsonrpc: '2.0', method: 7 }), -32600);
	await s.ping();
});

await test('raw invalid params are -32602', async () => {
	assertError(await s.call({ jsonrpc: '2.0', id: 'p1', method: 'tools/list', params: [1] }), -32602, 'p1');
	assertError(await s.call({ jsonrpc: '2.0', id: 'p2', method: 'tools/call', params: {} }), -32602, 'p2');
	assertError(await s.call({ jsonrpc: '2.0', id: 'p3', method: 'tools/call', params: { name: 'rm' } }), -32602, 'p3');
	assertError(await s.call({ jsonrpc: '2.0', id: 'p4', method: 'tools/list', params: { cursor: 'x' } }), -32602, 'p4');
	assertError(await s.call({ jsonrpc: '2.0', id: 'p5', method: 'initialize', params: {} }), -32602, 'p5');
	await s.ping();
});

await test('raw bad tool arguments are isError results', async () => {
	for (const args of [undefined, 5, {}, { command: '' }, { command: 'a\u0000b' },
		{ command: 'echo', args: [1] }, { command: 'echo', timeout_ms: 'soon' },
		{ command: 'echo', timeout_ms: 0 }, { command: 'echo', cwd: 3 }, { command: 'echo', extra: 1 }]) {
		const r = await s.call(exec('bad', args));
		assert.equal(r.id, 'bad');
		assert.equal(r.result?.isError, true, JSON.stringify(args));
		assert.match(r.result.content[0].text, /^sandboxec: exec: /);
	}
});

await test('raw initialize negotiates down and falls back to 2025-11-25', async () => {
	for (const [asked, got] of [['2025-06-18', '2025-06-18'], ['2025-03-26', '2025-03-26'],
		['2024-11-05', '2024-11-05'], ['2026-07-28', '2025-11-25'], ['1999-01-01', '2025-11-25']]) {
		const other = new Server();
		try {
			const r = await other.call(init(1, asked));
			assert.equal(r.result.protocolVersion, got, asked);
			assert.ok(!('resultType' in r.result));
		} finally {
			await other.close();
		}
	}
});

await test('raw 2025-03-26 gets no outputSchema or structuredContent', async () => {
	const old = new Server();
	try {
		await old.call(init(1, '2025-03-26'));
		const list = await old.call({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
		assert.ok(!('outputSchema' in list.result.tools[0]));
		const r = await old.call(exec(3, { command: 'echo', args: ['x'] }));
		assert.ok(!('structuredContent' in r.result));
		assert.equal(JSON.parse(r.result.content[0].text).stdout, 'x\n');
	} finally {
		await old.close();
	}
});

await test('raw 2024-11-05 is answered in kind: no annotations, a working exec', async () => {
	const old = new Server();
	try {
		const r = await old.call(init(1, '2024-11-05'));
		assert.equal(r.result.protocolVersion, '2024-11-05');
		assert.ok(!('title' in r.result.serverInfo));
		const list = await old.call({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
		assert.ok(!('annotations' in list.result.tools[0]));
		assert.ok(!('outputSchema' in list.result.tools[0]));
		const c = await old.call(exec(3, { command: 'echo', args: ['old'] }));
		assert.equal(JSON.parse(c.result.content[0].text).stdout, 'old\n');
	} finally {
		await old.close();
	}
});

await test('raw a long call with a progress token gets notifications/progress first', async () => {
	const p = new Server();
	try {
		await p.call(init(1, '2025-11-25'));
		await p.send(exec(2, { command: 'sleep', args: ['6'] }, { _meta: { progressToken: 'tok-2' } }));
		const n = await p.next(10000);
		assert.equal(n.method, 'notifications/progress', JSON.stringify(n));
		assert.equal(n.params.progressToken, 'tok-2');
		assert.ok(n.params.progress >= 4 && n.params.progress < 7, JSON.stringify(n));
		assert.match(n.params.message, /^running for \d+ s$/);
		const r = await p.next(10000);
		assert.equal(r.id, 2);
		assert.equal(r.result.isError, false);
	} finally {
		await p.close();
	}
});

await test('raw a long call without a progress token gets none', async () => {
	const p = new Server();
	try {
		await p.call(init(1, '2025-11-25'));
		await p.send(exec(3, { command: 'sleep', args: ['6'] }));
		const r = await p.next(10000);
		assert.equal(r.id, 3, JSON.stringify(r));
	} finally {
		await p.close();
	}
});

await test('raw 2026-07-28 server/discover without initialize', async () => {
	const m = new Server();
	try {
		const r = await m.call({ jsonrpc: '2.0', id: 'd', method: 'server/discover', params: { _meta: MODERN } });
		assert.equal(r.result.resultType, 'complete');
		assert.deepEqual(r.result.supportedVersions,
			['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);
		assert.ok(r.result.capabilities.tools);
		assert.equal(typeof r.result.ttlMs, 'number');
		assert.equal(r.result._meta['io.modelcontextprotocol/serverInfo'].name, 'sandboxec');
		const list = await m.call({ jsonrpc: '2.0', id: 'l', method: 'tools/list', params: { _meta: MODERN } });
		assert.equal(list.result.resultType, 'complete');
		assert.equal(list.result.tools[0].name, 'exec');
		assert.ok('ttlMs' in list.result && 'cacheScope' in list.result);
		const c = await m.call(exec('c', { command: 'echo', args: ['m'] }, { _meta: MODERN }));
		assert.equal(c.result.resultType, 'complete');
		assert.equal(c.result.structuredContent.stdout, 'm\n');
	} finally {
		await m.close();
	}
});

await test('raw 2026-07-28 rejects an unknown version with -32022', async () => {
	const meta = { ...MODERN, 'io.modelcontextprotocol/protocolVersion': '1900-01-01' };
	const r = await s.call({ jsonrpc: '2.0', id: 'v', method: 'tools/list', params: { _meta: meta } });
	assertError(r, -32022, 'v');
	assert.equal(r.error.data.requested, '1900-01-01');
	assert.ok(r.error.data.supported.includes('2026-07-28'));
});

await test('raw 2026-07-28 needs clientCapabilities; discover needs _meta', async () => {
	const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };
	assertError(await s.call({ jsonrpc: '2.0', id: 'm1', method: 'tools/list', params: { _meta: meta } }), -32602, 'm1');
	assertError(await s.call({ jsonrpc: '2.0', id: 'm2', method: 'server/discover' }), -32602, 'm2');
	const bad = { ...MODERN, 'io.modelcontextprotocol/protocolVersion': 2026 };
	assertError(await s.call({ jsonrpc: '2.0', id: 'm3', method: 'ping', params: { _meta: bad } }), -32602, 'm3');
	await s.ping();
});

await test('raw both eras are served side by side in one process', async () => {
	const legacy = await s.call({ jsonrpc: '2.0', id: 'b1', method: 'tools/list' });
	assert.ok(!('resultType' in legacy.result));
	const modern = await s.call({ jsonrpc: '2.0', id: 'b2', method: 'tools/list', params: { _meta: MODERN } });
	assert.equal(modern.result.resultType, 'complete');
});

await test('raw a 16 MiB line is read whole', async () => {
	const big = 'x'.repeat(16 << 20);
	const r = await s.call(exec('big', { command: 'wc', args: ['-c'], stdin: big }), 30000);
	assert.equal(r.id, 'big');
	assert.equal(r.result.structuredContent.stdout.trim(), String(16 << 20));
	const p = await s.call({ jsonrpc: '2.0', id: 'pad', method: 'ping', params: { pad: big } }, 30000);
	assert.deepEqual(p.result, {});
	await s.ping();
});

await test('raw a line over the 64 MiB limit is dropped with -32600', async () => {
	const huge = '{"jsonrpc":"2.0","id":"huge","method":"ping","params":{"pad":"' + 'y'.repeat(65 << 20) + '"}}\n';
	await s.write(huge);
	assertError(await s.next(30000), -32600);
	await s.ping('after-huge');
});

await test('raw split writes are reassembled', async () => {
	const text = JSON.stringify({ jsonrpc: '2.0', id: 'split', method: 'ping' }) + '\n';
	for (const ch of text.slice(0, 20)) {
		await s.write(ch);
		await sleep(2);
	}
	await s.write(text.slice(20, 30));
	await sleep(50);
	assert.equal(s.lines.length, 0, 'answered before the newline');
	await s.write(text.slice(30));
	assert.deepEqual((await s.next()).id, 'split');
	// A multi-byte character split across writes.
	const utf = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'é€😀', method: 'ping' }) + '\n');
	const cut = utf.indexOf(0xe2) + 1;
	await s.write(utf.subarray(0, cut));
	await sleep(20);
	await s.write(utf.subarray(cut));
	assert.equal((await s.next()).id, 'é€😀');
});

await test('raw merged writes give one response per message', async () => {
	const msgs = [1, 2, 3, 4, 5].map(i => JSON.stringify({ jsonrpc: '2.0', id: `m${i}`, method: 'ping' }));
	await s.write(msgs.slice(0, 3).join('\n') + '\n' + msgs[3] + '\r\n\n   \n' + msgs[4] + '\n');
	const ids = [];
	for (let i = 0; i < 5; i++) ids.push((await s.next()).id);
	assert.deepEqual(ids, ['m1', 'm2', 'm3', 'm4', 'm5']);
	await s.ping();
});

await test('raw calls run concurrently and answer out of order', async () => {
	await s.send(exec('slow', { command: 'sleep', args: ['1'] }));
	await s.send(exec('quick', { command: 'echo', args: ['q'] }));
	const first = await s.next();
	assert.equal(first.id, 'quick');
	await s.ping('during-slow');
	const second = await s.next(5000);
	assert.equal(second.id, 'slow');
});

await test('raw a running call id cannot be reused', async () => {
	await s.send(exec('dup', { command: 'sleep', args: ['1'] }));
	assertError(await s.call(exec('dup', { command: 'true' })), -32600, 'dup');
	const done = await s.next(5000);
	assert.equal(done.id, 'dup');
	assert.equal(done.result.structuredContent.exit_code, 0);
});

await test('raw a cancelled call gets no response', async () => {
	await s.send(exec(42, { command: 'sleep', args: ['30'] }));
	await sleep(100);
	await s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 42, reason: 'test' } });
	await sleep(300);
	await s.ping('after-cancel');
});

await test('raw nothing but JSON-RPC ever reached stdout', async () => {
	assert.deepEqual(s.garbage, []);
});

await test('raw end of input: exit at once, status 0, no child left', async () => {
	const e = new Server();
	const pidfile = join(work, 'eof.pid');
	await e.call(init(1, '2025-11-25'));
	await e.send(exec(2, { command: 'sh', args: ['-c', `sleep 60 & echo $! > ${pidfile}; wait`] }));
	let pid = '';
	for (let i = 0; i < 100 && !pid; i++) {
		await sleep(20);
		pid = existsSync(pidfile) ? readFileSync(pidfile, 'utf8').trim() : '';
	}
	assert.ok(pid, 'call never started');
	const t0 = Date.now();
	const { code } = await e.close();
	const took = Date.now() - t0;
	assert.equal(code, 0);
	assert.ok(took < 1000, `took ${took} ms`);
	await sleep(100);
	let state = '';
	try {
		state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
	} catch {}
	assert.ok(state === '' || state === 'Z', `sleep ${pid} is still running (${state})`);
	assert.equal(e.lines.length, 0, 'answered a call it killed');
});

await test('raw a last message without newline is still handled at EOF', async () => {
	const e = new Server();
	await e.write('{"jsonrpc":"2.0","id":"last","method":"ping"}');
	e.proc.stdin.end();
	await e.exited;
	assert.deepEqual(e.lines, [{ jsonrpc: '2.0', id: 'last', result: {} }]);
});

await test('raw SIGTERM kills the calls and ends the server', async () => {
	const e = new Server();
	const pidfile = join(work, 'term.pid');
	await e.send(exec(1, { command: 'sh', args: ['-c', `sleep 60 & echo $! > ${pidfile}; wait`] }));
	let pid = '';
	for (let i = 0; i < 100 && !pid; i++) {
		await sleep(20);
		pid = existsSync(pidfile) ? readFileSync(pidfile, 'utf8').trim() : '';
	}
	e.proc.kill('SIGTERM');
	const { code } = await e.exited;
	assert.equal(code, 128 + 15);
	await sleep(100);
	let state = '';
	try {
		state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
	} catch {}
	assert.ok(state === '' || state === 'Z', `sleep ${pid} survived (${state})`);
});

await test('raw the server is still up after everything', async () => {
	await s.ping('final');
	const { code } = await s.close();
	assert.equal(code, 0);
	// Below ABI 6 the server says once that it cannot scope signals
	// (docs/mcp.md); nothing else may reach stderr.
	const stderr = s.stderr.replace(
		/^sandboxec: warning: Landlock ABI [1-5] cannot scope signals \(that needs ABI 6\)[^\n]*\n/, '');
	assert.equal(stderr, '', `unexpected stderr: ${s.stderr.slice(0, 300)}`);
});

rmSync(work, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
