// Unit tests of what the extension sends the server from its settings
// (src/settings.ts): initializationOptions and workspace/configuration answers.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { needsRestart, serverSettingsFrom } from '../src/settings';

test('the server gets run, debounceMs, rules, logger and scope, not path or trace', () => {
	assert.deepEqual(
		serverSettingsFrom({
			path: '/usr/local/bin/failfast',
			run: 'onSave',
			debounceMs: 300,
			rules: { 'unchecked-index': 'off', 'discarded-error': 'error' },
			logger: 's.log',
			scope: 'openFiles',
			trace: { server: 'verbose' },
		}),
		{
			run: 'onSave',
			debounceMs: 300,
			rules: { 'unchecked-index': 'off', 'discarded-error': 'error' },
			logger: 's.log',
			scope: 'openFiles',
		},
	);
});

test('defaults as VS Code reports them', () => {
	assert.deepEqual(
		serverSettingsFrom({ path: '', run: 'onType', debounceMs: 150, rules: {}, logger: '', scope: 'workspace', trace: { server: 'off' } }),
		{ run: 'onType', debounceMs: 150, rules: {}, scope: 'workspace' },
	);
});

test('unset and null values are left to the server', () => {
	assert.deepEqual(serverSettingsFrom({}), {});
	assert.deepEqual(serverSettingsFrom(undefined), {});
	assert.deepEqual(serverSettingsFrom({ run: null, rules: { 'unchecked-index': null, 'discarded-error': 'hint' } }), {
		rules: { 'discarded-error': 'hint' },
	});
});

test('bad values pass through, for the server to name', () => {
	assert.deepEqual(serverSettingsFrom({ run: 'sometimes', debounceMs: -1, rules: ['x'] }), {
		run: 'sometimes',
		debounceMs: -1,
		rules: ['x'],
	});
});

test('only failfast.path restarts the server', () => {
	const affects = (changed: string) => (s: string) => s === changed || changed.startsWith(s + '.');
	assert.equal(needsRestart(affects('failfast.path')), true);
	assert.equal(needsRestart(affects('failfast.rules')), false);
	assert.equal(needsRestart(affects('failfast.run')), false);
	assert.equal(needsRestart(affects('editor.fontSize')), false);
});
