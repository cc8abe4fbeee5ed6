// SPDX-License-Identifier: Apache-2.0
// One attack on `sandboxec --mode mcp` through the official SDK client, for
// tests/security/t_escape_mcp.sh: a call that goes for the server, another
// call, or outlives its call. Prints the attacking call's stdout, then what
// the client saw ("# server: answers", "# forged: 0", ...).
//
// The SDK talks to its server over socket pairs; with --pipes (first
// argument) a `cat | sandboxec | cat` in between gives the server real
// pipes, as other clients do.
//
//   SBX=build/sandboxec MCP_POLICY='["--fs","rx:/usr",...]' node escape.mjs \
//     [--pipes] call [--next-secret] -- ARGV...   @SERVER@ is the server's pid
//     pair PIDFILE -- ARGV...                @OTHER@ is a concurrent call's pid
//     end-server sigkill|eof PIDFILE -- ARGV...
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const SBX = process.env.SBX;
const ESC = `${process.env.SBX_HELPERS}/escape`;
const policy = JSON.parse(process.env.MCP_POLICY ?? '[]');
const sleep = ms => new Promise(r => setTimeout(r, ms));

const argv = process.argv.slice(2);
const pipes = argv[0] === '--pipes' && argv.shift();
const mode = argv.shift();
const dash = argv.indexOf('--');
const opts = argv.slice(0, dash);
const cmd = argv.slice(dash + 1);

function state(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const s = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
		return s === 'Z' ? 'dead' : s === 'T' ? 'stopped' : 'alive';
	} catch {
		return 'dead';
	}
}

async function waitPidfile(path, ms = 5000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (existsSync(path)) return Number(readFileSync(path, 'utf8').trim());
		await sleep(20);
	}
	throw new Error(`${path} never appeared`);
}

const serverArgs = ['--mode', 'mcp', ...policy];
const transport = new StdioClientTransport(
	pipes
		? { command: '/bin/sh', args: ['-c', 'cat | "$0" "$@" | cat', SBX, ...serverArgs], stderr: 'inherit' }
		: { command: SBX, args: serverArgs, stderr: 'inherit' },
);
const client = new Client({ name: 'sandboxec-escape', version: '1.0.0' }, { capabilities: {} });
let forged = 0;
client.fallbackNotificationHandler = async () => {
	forged++;
};
await client.connect(transport);

// With --pipes the transport's child is the shell: the server is the child
// of it that runs SBX — or, when SBX is the static front, the dynamically
// linked twin beside it that the front hands --mode mcp over to.
function findServer(sh) {
	const exe = realpathSync(SBX);
	const exes = [exe, `${dirname(exe)}/sandboxec-dynamic`];
	for (const pid of readFileSync(`/proc/${sh}/task/${sh}/children`, 'utf8').trim().split(/\s+/)) {
		try {
			if (exes.includes(readlinkSync(`/proc/${pid}/exe`))) return Number(pid);
		} catch {}
	}
	throw new Error(`no ${exes.join(' or ')} below ${sh}`);
}
const server = pipes ? findServer(transport.pid) : transport.pid;

const exec = (args, options) =>
	client.callTool({ name: 'exec', arguments: { timeout_ms: 20000, ...args } }, undefined, {
		timeout: 30000,
		...options,
	});
const subst = (a, from, to) => a.map(s => s.replaceAll(from, String(to)));
const print = r => process.stdout.write(r.structuredContent?.stdout ?? `${JSON.stringify(r)}\n`);

async function answers() {
	try {
		await client.ping({ timeout: 3000 });
		return 'answers';
	} catch {
		return 'silent';
	}
}

if (mode === 'call') {
	const argsv = subst(cmd, '@SERVER@', server);
	const attack = exec({ command: argsv[0], args: argsv.slice(1) });
	let next = null;
	if (opts.includes('--next-secret')) {
		// The request a call reading the server's stdin would steal.
		await sleep(500);
		next = exec({ command: 'cat', stdin: 'SECRET-next-request\n' }, { timeout: 6000 })
			.then(r => (r.structuredContent?.stdout === 'SECRET-next-request\n' ? 'answered' : 'wrong'))
			.catch(() => 'lost');
	}
	print(await attack);
	if (next) console.log(`# next: ${await next}`);
	console.log(`# forged: ${forged}`);
	console.log(`# server: ${await answers()}`);
} else if (mode === 'pair') {
	const pidfile = opts[0];
	const other = exec({ command: ESC, args: ['pidfile-sleep', pidfile, '30'] }).catch(() => null);
	const pid = await waitPidfile(pidfile);
	const argsv = subst(cmd, '@OTHER@', pid);
	print(await exec({ command: argsv[0], args: argsv.slice(1) }));
	await sleep(200);
	console.log(`# other: ${state(pid)}`);
	console.log(`# server: ${await answers()}`);
	void other;
} else if (mode === 'end-server') {
	const [how, pidfile] = opts;
	exec({ command: cmd[0], args: cmd.slice(1) }).catch(() => null);
	await waitPidfile(pidfile);
	if (how === 'sigkill') process.kill(server, 'SIGKILL');
	else transport._process?.stdin?.end();
	const end = Date.now() + 5000;
	while (state(server) !== 'dead' && Date.now() < end) await sleep(20);
	console.log(`# server: ${state(server) === 'dead' ? 'gone' : 'still running'}`);
	await sleep(300);
}
await transport.close().catch(() => {});
process.exit(0);
