// Finding the failfast binary the extension starts. This module does not
// import 'vscode', so its logic is unit-tested under plain Node.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What a user without a working binary is told to run: `go install` of
 * ./cmd/failfast names the binary `failfast`, the name the extension looks
 * for. */
export const INSTALL_COMMAND = 'go install github.com/failfast-dev/failfast/cmd/failfast@latest';

/** How long `<bin> version` may take before the candidate counts as broken. */
export const VERSION_TIMEOUT_MS = 10_000;

/** Where a candidate binary came from, in the order they are tried. */
export type Source = 'setting' | 'bundled' | 'PATH';

export interface Attempt {
	source: Source;
	/** The path tried, or undefined when there was nothing to try (no
	 * setting, no bundled binary in this build, nothing on PATH). */
	path?: string;
	/** Why it was not used. */
	problem: string;
}

export interface Found {
	ok: true;
	source: Source;
	path: string;
	/** The first line `<bin> version` printed, e.g. "failfast v0.1.0 (go1.26.1)". */
	version: string;
	/** Candidates that exist but were passed over before this one, and why
	 * (a failfast.path that does not work is worth a warning). */
	skipped: Attempt[];
}

export interface NotFound {
	ok: false;
	attempts: Attempt[];
	/** A message for the user: what was tried and how to install failfast. */
	message: string;
}

/** The result of running `<bin> version`. */
export type ProbeResult = { ok: true; version: string } | { ok: false; problem: string };

export type Probe = (bin: string, timeoutMs: number) => Promise<ProbeResult>;

export interface FindOptions {
	/** The failfast.path setting ('' or undefined: not set). */
	setting?: string;
	/** The extension's install directory (holds bundled/bin/). */
	extensionPath: string;
	/** A directory that a relative failfast.path is resolved against (the first workspace folder). */
	workspaceFolder?: string;
	platform?: NodeJS.Platform;
	env?: NodeJS.ProcessEnv;
	probe?: Probe;
	timeoutMs?: number;
}

export function exeName(platform: NodeJS.Platform): string {
	return platform === 'win32' ? 'failfast.exe' : 'failfast';
}

/** The binary that a platform-specific package ships, whether or not it exists. */
export function bundledPath(extensionPath: string, platform: NodeJS.Platform): string {
	return path.join(extensionPath, 'bundled', 'bin', exeName(platform));
}

/** Resolves failfast.path: `~` and `${userHome}` are the home directory,
 * `${workspaceFolder}` the first workspace folder; a relative path is taken
 * from the workspace folder. */
export function expandSetting(setting: string, workspaceFolder: string | undefined, home = os.homedir()): string {
	let p = setting.trim().replaceAll('${userHome}', home);
	if (workspaceFolder) {
		p = p.replaceAll('${workspaceFolder}', workspaceFolder);
	}
	if (p === '~') {
		p = home;
	} else if (p.startsWith('~/') || p.startsWith('~\\')) {
		p = path.join(home, p.slice(2));
	}
	if (!path.isAbsolute(p) && workspaceFolder) {
		p = path.join(workspaceFolder, p);
	}
	return p;
}

function isFile(p: string): boolean {
	try {
		return fs.statSync(p).isFile();
	} catch {
		return false;
	}
}

/** Every `failfast` on PATH, in PATH order (with PATHEXT on Windows). */
export function lookPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
	const pathVar = env.PATH ?? env.Path ?? '';
	const delimiter = platform === 'win32' ? ';' : ':';
	const names =
		platform === 'win32'
			? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM')
					.split(';')
					.filter((e) => e !== '')
					.map((e) => 'failfast' + e.toLowerCase())
			: ['failfast'];
	const found: string[] = [];
	for (const dir of pathVar.split(delimiter)) {
		if (dir === '') {
			continue;
		}
		for (const name of names) {
			const p = path.join(dir, name);
			if (isFile(p) && !found.includes(p)) {
				found.push(p);
			}
		}
	}
	return found;
}

/** Runs `<bin> version` and checks that it is failfast that answered. */
export const runVersion: Probe = (bin, timeoutMs) =>
	new Promise((resolve) => {
		execFile(bin, ['version'], { timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
			const out = String(stdout).trim().split(/\r?\n/)[0] ?? '';
			if (err) {
				const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
				let problem: string;
				if (e.killed || e.signal === 'SIGTERM') {
					problem = `\`version\` did not answer within ${timeoutMs} ms`;
				} else if (e.code === 'ENOENT') {
					problem = 'not found';
				} else if (e.code === 'EACCES') {
					problem = 'not executable';
				} else if (typeof e.code === 'number') {
					const detail = String(stderr).trim().split(/\r?\n/)[0] || out;
					problem = `\`version\` exited with status ${e.code}${detail ? `: ${detail}` : ''}`;
				} else {
					problem = e.message;
				}
				resolve({ ok: false, problem });
				return;
			}
			if (!out.startsWith('failfast ')) {
				resolve({ ok: false, problem: `\`version\` printed ${JSON.stringify(out)}, not "failfast ..."` });
				return;
			}
			resolve({ ok: true, version: out });
		});
	});

function describe(a: Attempt): string {
	const where = a.path ? ` ${a.path}` : '';
	switch (a.source) {
		case 'setting':
			return `failfast.path${where}: ${a.problem}`;
		case 'bundled':
			return `the bundled binary${where}: ${a.problem}`;
		case 'PATH':
			return `PATH${where}: ${a.problem}`;
	}
}

/** The message shown when no binary works. */
export function notFoundMessage(attempts: Attempt[]): string {
	return (
		'failfast: no working failfast binary, so Go files are not checked. Tried ' +
		attempts.map(describe).join('; ') +
		'. Install failfast with `' +
		INSTALL_COMMAND +
		'` (or set failfast.path to a failfast binary), then run "failfast: Restart Server".'
	);
}

/** A one-line account of a candidate that was passed over. */
export function skippedMessage(a: Attempt): string {
	return 'failfast: not using ' + describe(a);
}

/**
 * Finds the binary to start: the failfast.path setting if set, else the
 * binary bundled with the extension, else `failfast` on PATH. Each candidate
 * must answer `<bin> version` with "failfast ..." within the timeout.
 */
export async function findBinary(opts: FindOptions): Promise<Found | NotFound> {
	const platform = opts.platform ?? process.platform;
	const env = opts.env ?? process.env;
	const probe = opts.probe ?? runVersion;
	const timeoutMs = opts.timeoutMs ?? VERSION_TIMEOUT_MS;
	const attempts: Attempt[] = [];

	const candidates: { source: Source; path: string }[] = [];
	const setting = (opts.setting ?? '').trim();
	if (setting !== '') {
		candidates.push({ source: 'setting', path: expandSetting(setting, opts.workspaceFolder) });
	} else {
		attempts.push({ source: 'setting', problem: 'not set' });
	}
	const bundled = bundledPath(opts.extensionPath, platform);
	if (isFile(bundled)) {
		candidates.push({ source: 'bundled', path: bundled });
	} else {
		attempts.push({ source: 'bundled', path: bundled, problem: 'not in this build of the extension' });
	}
	const onPath = lookPath(env, platform);
	if (onPath.length === 0) {
		attempts.push({ source: 'PATH', problem: 'no failfast on PATH' });
	}
	for (const p of onPath) {
		candidates.push({ source: 'PATH', path: p });
	}

	const tried: Attempt[] = [];
	for (const c of candidates) {
		if (c.source === 'setting' && !isFile(c.path)) {
			tried.push({ ...c, problem: 'no such file' });
			continue;
		}
		if (platform !== 'win32' && c.source === 'bundled') {
			ensureExecutable(c.path);
		}
		const r = await probe(c.path, timeoutMs);
		if (r.ok) {
			return { ok: true, source: c.source, path: c.path, version: r.version, skipped: [...tried] };
		}
		tried.push({ ...c, problem: r.problem });
	}
	// Report in the order of trying: setting, bundled, PATH.
	const order: Source[] = ['setting', 'bundled', 'PATH'];
	const all = [...attempts, ...tried].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
	return { ok: false, attempts: all, message: notFoundMessage(all) };
}

/** Archives do not always keep the executable bit: restore it on the
 * bundled binary (best effort; the probe reports what still fails). */
function ensureExecutable(p: string): void {
	try {
		const mode = fs.statSync(p).mode;
		if ((mode & 0o111) !== 0o111) {
			fs.chmodSync(p, mode | 0o755);
		}
	} catch {
		// The probe that follows says what is wrong.
	}
}
