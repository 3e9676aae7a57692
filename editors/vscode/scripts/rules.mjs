#!/usr/bin/env node
// Writes the failfast.rules setting's schema in package.json from the rule
// registry, as `failfast rules -json` prints it: one property per rule ID,
// with the values the server accepts. With --check, changes nothing and
// exits 1 if package.json differs (the tests run this, so the list cannot
// drift from the registry).
//
// The binary is $FAILFAST_BIN, else `go run ./cmd/failfast` from the repository root.
//
//   node scripts/rules.mjs           # update package.json
//   node scripts/rules.mjs --check   # verify it

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const extDir = join(here, '..');
const repoRoot = join(extDir, '..', '..');
const pkgPath = join(extDir, 'package.json');

export const VALUES = ['on', 'off', 'error', 'warning', 'info', 'hint'];
const VALUE_DESCRIPTIONS = [
	'Report with the rule\'s default severity.',
	'Do not report.',
	'Report as an error.',
	'Report as a warning.',
	'Report as information.',
	'Report as a hint (shown faintly, not in the Problems count).',
];

function registry() {
	const bin = process.env.FAILFAST_BIN;
	const out = bin
		? execFileSync(bin, ['rules', '-json'], { encoding: 'utf8' })
		: execFileSync('go', ['run', './cmd/failfast', 'rules', '-json'], { cwd: repoRoot, encoding: 'utf8' });
	return JSON.parse(out);
}

export function ruleProperties(rules) {
	const props = {};
	for (const r of rules) {
		const summary = r.summary.charAt(0).toUpperCase() + r.summary.slice(1);
		props[r.id] = {
			type: 'string',
			enum: VALUES,
			enumDescriptions: VALUE_DESCRIPTIONS,
			markdownDescription: `${summary}. Default severity: \`${r.severity}\`. [Documentation](${r.docs})`,
		};
	}
	return props;
}

const check = process.argv.includes('--check');
const text = readFileSync(pkgPath, 'utf8');
const pkg = JSON.parse(text);
const setting = pkg.contributes?.configuration?.properties?.['failfast.rules'];
if (!setting) {
	console.error(`${pkgPath}: no contributes.configuration.properties["failfast.rules"]`);
	process.exit(1);
}
setting.properties = ruleProperties(registry());
const want = JSON.stringify(pkg, null, '\t') + '\n';
if (check) {
	if (want !== text) {
		console.error(
			'package.json: the failfast.rules setting does not match `failfast rules -json`; run `npm run rules` in editors/vscode',
		);
		process.exit(1);
	}
	console.log('package.json: failfast.rules matches the registry');
} else if (want !== text) {
	writeFileSync(pkgPath, want);
	console.log('package.json: failfast.rules updated');
}
