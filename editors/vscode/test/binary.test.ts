// Unit tests of the binary discovery (src/binary.ts): failfast.path, then
// the bundled binary, then PATH; each must answer `version`; when none does,
// the message says what was tried and how to install failfast. The probes
// run real executables (small shell scripts) where the platform allows.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bundledPath, expandSetting, findBinary, INSTALL_COMMAND, lookPath, Probe, runVersion } from '../src/binary';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failfast-vscode-binary-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

/** Writes an executable shell script named `failfast` in a new directory. */
function script(name: string, body: string): string {
	const dir = path.join(tmp, name);
	fs.mkdirSync(dir, { recursive: true });
	const p = path.join(dir, 'failfast');
	fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
	return p;
}

/** An extension directory, with a bundled binary if `body` is given. */
function extension(name: string, body?: string): string {
	const dir = path.join(tmp, name);
	fs.mkdirSync(dir, { recursive: true });
	if (body !== undefined) {
		const p = bundledPath(dir, process.platform);
		fs.mkdirSync(path.dirname(p), { recursive: true });
		fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o644 }); // as unzipped without the x bit
	}
	return dir;
}

const good = 'echo "failfast v1.2.3 (go1.26.0)"';

describe('findBinary', { skip: !posix && 'uses shell scripts as binaries' }, () => {
	test('failfast.path wins over the bundled binary and PATH', async () => {
		const setting = script('setting', 'echo "failfast setting (go1.26.0)"');
		const onPath = script('path1', good);
		const r = await findBinary({
			setting,
			extensionPath: extension('ext1', good),
			env: { PATH: path.dirname(onPath) },
		});
		assert.ok(r.ok, JSON.stringify(r));
		assert.equal(r.source, 'setting');
		assert.equal(r.path, setting);
		assert.equal(r.version, 'failfast setting (go1.26.0)');
		assert.deepEqual(r.skipped, []);
	});

	test('the bundled binary when failfast.path is not set, made executable', async () => {
		const ext = extension('ext2', 'echo "failfast bundled (go1.26.0)"');
		const onPath = script('path2', good);
		const r = await findBinary({ setting: '  ', extensionPath: ext, env: { PATH: path.dirname(onPath) } });
		assert.ok(r.ok, JSON.stringify(r));
		assert.equal(r.source, 'bundled');
		assert.equal(r.path, bundledPath(ext, process.platform));
		assert.equal(fs.statSync(r.path).mode & 0o111, 0o111, 'the bundled binary is executable');
	});

	test('PATH when there is no setting and no bundled binary', async () => {
		const onPath = script('path3', good);
		const r = await findBinary({
			extensionPath: extension('ext3'),
			env: { PATH: ['', path.join(tmp, 'nonexistent'), path.dirname(onPath)].join(path.delimiter) },
		});
		assert.ok(r.ok, JSON.stringify(r));
		assert.equal(r.source, 'PATH');
		assert.equal(r.path, onPath);
		assert.equal(r.version, 'failfast v1.2.3 (go1.26.0)');
	});

	test('a failfast.path that fails `version` is passed over and reported', async () => {
		const broken = script('broken', 'echo "something went wrong" >&2; exit 3');
		const r = await findBinary({ setting: broken, extensionPath: extension('ext4', good), env: { PATH: '' } });
		assert.ok(r.ok, JSON.stringify(r));
		assert.equal(r.source, 'bundled');
		assert.equal(r.skipped.length, 1);
		assert.equal(r.skipped[0].source, 'setting');
		assert.equal(r.skipped[0].path, broken);
		assert.equal(r.skipped[0].problem, '`version` exited with status 3: something went wrong');
	});

	test('a binary that is not failfast, or hangs, does not count', async () => {
		const other = script('other', 'echo "go version go1.26.0 linux/amd64"');
		const slow = script('slow', 'exec sleep 10');
		const r = await findBinary({
			setting: other,
			extensionPath: extension('ext5'),
			env: { PATH: path.dirname(slow) },
			timeoutMs: 300,
		});
		assert.ok(!r.ok, JSON.stringify(r));
		assert.match(r.message, /failfast\.path .*other\/failfast: `version` printed "go version go1\.26\.0 linux\/amd64", not "failfast \.\.\."/);
		assert.match(r.message, /PATH .*slow\/failfast: `version` did not answer within 300 ms/);
	});

	test('none found: the message says what was tried and how to install', async () => {
		const ext = extension('ext6');
		const missing = path.join(tmp, 'no', 'failfast');
		const r = await findBinary({ setting: missing, extensionPath: ext, env: { PATH: path.join(tmp, 'nonexistent') } });
		assert.ok(!r.ok, JSON.stringify(r));
		assert.deepEqual(
			r.attempts.map((a) => [a.source, a.path, a.problem]),
			[
				['setting', missing, 'no such file'],
				['bundled', bundledPath(ext, process.platform), 'not in this build of the extension'],
				['PATH', undefined, 'no failfast on PATH'],
			],
		);
		assert.ok(r.message.includes(INSTALL_COMMAND), r.message);
		assert.ok(r.message.includes(missing), r.message);
		assert.ok(r.message.includes('failfast.path'), r.message);
		assert.match(INSTALL_COMMAND, /go install \S+\/cmd\/failfast@latest/);
	});

	test('failfast.path not set is reported as such', async () => {
		const r = await findBinary({ extensionPath: extension('ext7'), env: {} });
		assert.ok(!r.ok);
		assert.match(r.message, /Tried failfast\.path: not set; the bundled binary .*: not in this build of the extension; PATH: no failfast on PATH\./);
	});

	test('the probe used is the one given', async () => {
		const seen: string[] = [];
		const probe: Probe = async (bin) => {
			seen.push(bin);
			return { ok: false, problem: 'nope' };
		};
		const a = script('path8a', good);
		const b = script('path8b', good);
		const r = await findBinary({
			extensionPath: extension('ext8'),
			env: { PATH: [path.dirname(a), path.dirname(b)].join(path.delimiter) },
			probe,
		});
		assert.ok(!r.ok);
		assert.deepEqual(seen, [a, b], 'every failfast on PATH is tried, in order');
	});
});

test('runVersion on a missing file', async () => {
	const r = await runVersion(path.join(tmp, 'missing'), 1000);
	assert.deepEqual(r, { ok: false, problem: 'not found' });
});

test('runVersion on the real binary', { skip: !process.env.FAILFAST_BIN && 'FAILFAST_BIN not set' }, async () => {
	const r = await runVersion(process.env.FAILFAST_BIN!, 10_000);
	assert.ok(r.ok, JSON.stringify(r));
	assert.match(r.version, /^failfast \S+ \(go[\d.]+.*\)$/);
});

test('expandSetting', () => {
	assert.equal(expandSetting('~/bin/failfast', undefined, '/home/u'), path.join('/home/u', 'bin/failfast'));
	assert.equal(expandSetting('bin/failfast', '/ws', '/home/u'), path.join('/ws', 'bin/failfast'));
	assert.equal(expandSetting('/opt/failfast', '/ws', '/home/u'), '/opt/failfast');
	assert.equal(expandSetting('${workspaceFolder}/bin/failfast', '/ws', '/home/u'), '/ws/bin/failfast');
	assert.equal(expandSetting('${userHome}/go/bin/failfast', undefined, '/home/u'), '/home/u/go/bin/failfast');
});

test('lookPath on Windows uses PATHEXT and ;', () => {
	const dir = path.join(tmp, 'win');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'failfast.exe'), '');
	assert.deepEqual(lookPath({ Path: `C:\\nowhere;${dir}`, PATHEXT: '.COM;.EXE' }, 'win32'), [path.join(dir, 'failfast.exe')]);
	assert.equal(path.basename(bundledPath('/ext', 'win32')), 'failfast.exe');
});
