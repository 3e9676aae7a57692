// Checks package.json against the binary: the failfast.rules setting lists
// exactly the rules `failfast rules -json` prints (scripts/rules.mjs --check
// regenerates it), and the contributed settings and commands are the ones
// the extension and server use.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';

const extDir = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8'));
const props = pkg.contributes.configuration.properties;
const bin = process.env.FAILFAST_BIN;

test('failfast.rules lists the registry', { skip: !bin && 'FAILFAST_BIN not set' }, () => {
	const rules: { id: string; severity: string }[] = JSON.parse(execFileSync(bin!, ['rules', '-json'], { encoding: 'utf8' }));
	assert.ok(rules.length >= 10, `failfast rules -json printed ${rules.length} rules`);
	const listed = props['failfast.rules'].properties;
	assert.deepEqual(Object.keys(listed).sort(), rules.map((r) => r.id).sort());
	for (const r of rules) {
		assert.deepEqual([...listed[r.id].enum].sort(), ['error', 'hint', 'info', 'off', 'on', 'warning']);
	}
	execFileSync(process.execPath, [path.join(extDir, 'scripts', 'rules.mjs'), '--check'], {
		env: { ...process.env, FAILFAST_BIN: bin },
		stdio: 'pipe',
	});
});

test('settings and commands', () => {
	assert.deepEqual(Object.keys(props).sort(), [
		'failfast.debounceMs',
		'failfast.logger',
		'failfast.path',
		'failfast.rules',
		'failfast.run',
		'failfast.scope',
		'failfast.trace.server',
	]);
	for (const [k, v] of Object.entries<Record<string, unknown>>(props)) {
		assert.ok(v.markdownDescription || v.description, `${k} has no description`);
	}
	assert.deepEqual(props['failfast.run'].enum, ['onType', 'onSave']);
	assert.deepEqual(props['failfast.scope'].enum, ['workspace', 'openFiles']);
	assert.deepEqual(props['failfast.trace.server'].enum, ['off', 'messages', 'verbose']);
	assert.deepEqual(
		pkg.contributes.commands.map((c: { command: string }) => c.command).sort(),
		['failfast.fixAll', 'failfast.restart', 'failfast.showOutput'],
	);
	const src = fs.readFileSync(path.join(extDir, 'src', 'extension.ts'), 'utf8');
	for (const c of pkg.contributes.commands) {
		assert.ok(src.includes(`'${c.command}'`), `${c.command} is not registered in src/extension.ts`);
	}
	assert.equal(pkg.main, './out/extension.js');
	const typesVscode = pkg.devDependencies['@types/vscode'].replace(/^[~^]/, '');
	const engine = pkg.engines.vscode.replace(/^[~^]/, '');
	assert.equal(typesVscode, engine, '@types/vscode must not be newer than engines.vscode (vsce refuses)');
});
