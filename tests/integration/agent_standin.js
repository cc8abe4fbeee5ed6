#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// A stand-in for an AI coding agent's start-up, for the agents/* profile
// tests (the real agents cannot be installed in CI). It does what the
// agent does when it starts, each step named on the command line, and
// fails loudly at the first step that does not work:
//   --read FILE        read its settings / credentials
//   --append FILE      append to a log or session file (dirs created)
//   --rewrite FILE     rewrite a state file in place
//   --run FILE         execute a helper it keeps in its state dir
//   --tmp              create and remove a scratch file in os.tmpdir()
//   --https PORT       HTTP GET http://127.0.0.1:PORT/ (its API client)
//   --shell CMD        run CMD with sh in the workspace (its shell tool)
//   --edit FILE        write a file in the workspace (its edit tool)
// Prints "agent ok" and exits 0 when every step worked.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { execFileSync } = require('child_process');

const args = process.argv.slice(2);
const steps = [];
for (let i = 0; i < args.length; i++) {
	const op = args[i];
	const arg = op === '--tmp' ? null : args[++i];
	steps.push([op, arg]);
}

function get(port) {
	return new Promise((resolve, reject) => {
		http.get({ host: '127.0.0.1', port: Number(port), path: '/' }, (res) => {
			res.resume();
			res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
		}).on('error', reject);
	});
}

async function step(op, arg) {
	switch (op) {
	case '--read':
		fs.readFileSync(arg);
		break;
	case '--append':
		fs.mkdirSync(path.dirname(arg), { recursive: true });
		fs.appendFileSync(arg, `${new Date().toISOString()} started\n`);
		break;
	case '--rewrite': {
		const old = fs.readFileSync(arg, 'utf8');
		fs.writeFileSync(arg, JSON.stringify({ previous: old.length, startups: 1 }));
		break;
	}
	case '--run':
		execFileSync(arg, [], { stdio: 'pipe' });
		break;
	case '--tmp': {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-'));
		fs.writeFileSync(path.join(dir, 'cwd'), process.cwd());
		fs.rmSync(dir, { recursive: true });
		break;
	}
	case '--https':
		await get(arg);
		break;
	case '--shell':
		execFileSync('sh', ['-c', arg], { stdio: 'pipe' });
		break;
	case '--edit':
		fs.writeFileSync(arg, 'edited by the agent\n');
		break;
	default:
		throw new Error(`unknown step ${op}`);
	}
}

(async () => {
	for (const [op, arg] of steps) {
		try {
			await step(op, arg);
		} catch (e) {
			console.error(`agent step ${op} ${arg || ''} failed: ${e.message}`);
			process.exit(1);
		}
	}
	console.log('agent ok');
})();
