// End-to-end over the protocol: drives the real `failfast serve` ($FAILFAST_BIN)
// with vscode-languageserver-protocol, the stack vscode-languageclient is built
// on, announcing the capabilities VS Code's client does (UTF-16 only, code
// action resolve for edits, workspace/configuration, dynamic registration of
// didChangeConfiguration, LSP 3.17 pull diagnostics with refresh), and does
// what the extension makes VS Code do: open a Go file, apply a quick fix,
// change a setting, run fix-all, shut down. Diagnostics are pulled the way
// vscode-languageclient 11 pulls them (see pull below); the server must push
// none.

import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import {
	ClientCapabilities,
	CodeAction,
	CodeActionKind,
	CodeActionRequest,
	CodeActionResolveRequest,
	CodeActionTriggerKind,
	Command,
	CancellationTokenSource,
	ConfigurationRequest,
	createProtocolConnection,
	Diagnostic,
	DiagnosticRefreshRequest,
	DidChangeConfigurationNotification,
	DidChangeTextDocumentNotification,
	DidOpenTextDocumentNotification,
	DocumentDiagnosticReportKind,
	DocumentDiagnosticRequest,
	ExitNotification,
	InitializedNotification,
	InitializeRequest,
	InitializeResult,
	ProtocolConnection,
	PublishDiagnosticsNotification,
	PublishDiagnosticsParams,
	RegistrationRequest,
	ShowMessageNotification,
	ShutdownRequest,
	StreamMessageReader,
	StreamMessageWriter,
	TextEdit,
	WorkDoneProgressCreateRequest,
	WorkspaceDiagnosticRequest,
	WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { serverSettingsFrom } from '../src/settings';

const FIX_ALL = 'source.fixAll.failfast';
const STEP_MS = 30_000;

// What vscode-languageclient 11 announces for the features failfast uses
// (trimmed to them; VS Code offers only UTF-16 positions).
const capabilities: ClientCapabilities = {
	general: { positionEncodings: ['utf-16'], staleRequestSupport: { cancel: true, retryOnContentModified: [] } },
	workspace: {
		applyEdit: true,
		workspaceEdit: {
			documentChanges: true,
			resourceOperations: ['create', 'rename', 'delete'],
			failureHandling: 'textOnlyTransactional',
			normalizesLineEndings: true,
			changeAnnotationSupport: { groupsOnLabel: true },
		},
		didChangeConfiguration: { dynamicRegistration: true },
		didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
		configuration: true,
		workspaceFolders: true,
		diagnostics: { refreshSupport: true },
	},
	textDocument: {
		synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
		publishDiagnostics: {
			relatedInformation: true,
			versionSupport: false,
			tagSupport: { valueSet: [1, 2] },
			codeDescriptionSupport: true,
			dataSupport: true,
		},
		// DiagnosticFeature.fillClientCapabilities in vscode-languageclient 11.
		diagnostic: {
			relatedInformation: true,
			tagSupport: { valueSet: [1, 2] },
			codeDescriptionSupport: true,
			dataSupport: true,
			dynamicRegistration: true,
			relatedDocumentSupport: false,
			markupMessageSupport: false,
		},
		codeAction: {
			dynamicRegistration: true,
			isPreferredSupport: true,
			disabledSupport: true,
			dataSupport: true,
			resolveSupport: { properties: ['edit'] },
			codeActionLiteralSupport: {
				codeActionKind: {
					valueSet: [
						'',
						CodeActionKind.QuickFix,
						CodeActionKind.Refactor,
						CodeActionKind.RefactorExtract,
						CodeActionKind.RefactorInline,
						CodeActionKind.RefactorRewrite,
						CodeActionKind.Source,
						CodeActionKind.SourceOrganizeImports,
					],
				},
			},
			honorsChangeAnnotations: true,
		},
	},
	window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } } },
};

function within<T>(step: string, ms: number, p: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${step}`)), ms);
	});
	return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Applies a WorkspaceEdit's edits for one document to its text. */
function applyWorkspaceEdit(doc: TextDocument, edit: WorkspaceEdit): string {
	const edits: TextEdit[] = [];
	for (const change of edit.documentChanges ?? []) {
		if ('textDocument' in change && change.textDocument.uri === doc.uri) {
			edits.push(...(change.edits as TextEdit[]));
		} else if (!('textDocument' in change)) {
			assert.fail(`unexpected resource operation ${JSON.stringify(change)}`);
		}
	}
	for (const [uri, es] of Object.entries(edit.changes ?? {})) {
		assert.equal(uri, doc.uri, 'edit for another document');
		edits.push(...es);
	}
	assert.ok(edits.length > 0, `edit changes nothing in ${doc.uri}: ${JSON.stringify(edit)}`);
	return TextDocument.applyEdits(doc, edits);
}

let proc: ChildProcess;
let conn: ProtocolConnection;
let stderr = '';
let dir: string;
// The diagnostics the client shows, in the order it got them: each entry
// is a document's diagnostics for a version (a full pull, or an unchanged
// one confirming the last items for a newer version).
const published: PublishDiagnosticsParams[] = [];
let onPublish: (() => void)[] = [];
let pushed = 0; // publishDiagnostics received: none in pull mode

function show(p: PublishDiagnosticsParams): void {
	published.push(p);
	for (const l of [...onPublish]) {
		l();
	}
}

// Pull diagnostics as vscode-languageclient 11 pulls them (its
// lib/common/diagnostic.js, with the default diagnosticPullOptions): a
// textDocument/diagnostic request with the last resultId when a document
// opens and, on workspace/diagnostic/refresh, for every open document; one
// request per document at a time (a new pull cancels the running one, which
// sends $/cancelRequest, and runs once it is answered); and
// workspace/diagnostic right away and again 2 s after each answer, whose
// full reports apply only to documents that are not pulled themselves.
const IDENTIFIER = 'failfast';
const versions = new Map<string, number>(); // the open documents
type PullState = { resultId?: string; items: Diagnostic[]; active?: CancellationTokenSource; again: boolean };
const pulls = new Map<string, PullState>();
const workspaceIds = new Map<string, string>();
let pulled = 0; // answered document pulls
let refreshes = 0;
let workspaceAnswers = 0;
const pullErrors: string[] = [];
let stopped = false;

async function pull(uri: string): Promise<void> {
	let st = pulls.get(uri);
	if (!st) {
		st = { items: [], again: false };
		pulls.set(uri, st);
	}
	if (st.active) {
		st.active.cancel();
		st.again = true;
		return;
	}
	const version = versions.get(uri);
	assert.ok(version !== undefined, `pull for ${uri}, which is not open`);
	const source = new CancellationTokenSource();
	st.active = source;
	try {
		const report = await conn.sendRequest(
			DocumentDiagnosticRequest.type,
			{ identifier: IDENTIFIER, textDocument: { uri }, previousResultId: st.resultId },
			source.token,
		);
		if (!source.token.isCancellationRequested && report) {
			if (report.kind === DocumentDiagnosticReportKind.Full) {
				st.items = report.items;
			}
			st.resultId = report.resultId;
			pulled++;
			show({ uri, version, diagnostics: st.items });
		}
	} catch (err) {
		if (!source.token.isCancellationRequested && !stopped) {
			pullErrors.push(`textDocument/diagnostic for ${uri}: ${String(err)}`);
		}
	} finally {
		st.active = undefined;
		if (st.again && !stopped) {
			st.again = false;
			void pull(uri);
		}
	}
}

async function pullWorkspace(): Promise<void> {
	while (!stopped) {
		const previousResultIds = [...workspaceIds].map(([uri, value]) => ({
			uri,
			value: pulls.get(uri)?.resultId ?? value,
		}));
		try {
			const res = await conn.sendRequest(WorkspaceDiagnosticRequest.type, {
				identifier: IDENTIFIER,
				previousResultIds,
				partialResultToken: crypto.randomUUID(),
			});
			for (const item of res.items) {
				if (item.kind === DocumentDiagnosticReportKind.Full && !pulls.has(item.uri)) {
					show({ uri: item.uri, version: item.version ?? undefined, diagnostics: item.items });
				}
				if (item.resultId !== undefined) {
					workspaceIds.set(item.uri, item.resultId);
				}
			}
			workspaceAnswers++;
		} catch (err) {
			if (!stopped) {
				pullErrors.push(`workspace/diagnostic: ${String(err)}`);
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
}
const shown: string[] = [];
const configurationRequests: unknown[] = [];
// What the client answers for the "failfast" section (as VS Code would, after
// the extension's middleware).
let section: Record<string, unknown> = { run: 'onType', debounceMs: 50, path: '', trace: { server: 'off' } };

function waitForDiagnostics(
	step: string,
	uri: string,
	pred: (p: PublishDiagnosticsParams) => boolean,
): Promise<PublishDiagnosticsParams> {
	return within(
		`${step} (last diagnostics: ${JSON.stringify(published.filter((p) => p.uri === uri).at(-1)?.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`))}; stderr: ${stderr.slice(-2000)})`,
		STEP_MS,
		new Promise<PublishDiagnosticsParams>((resolve) => {
			const check = (): boolean => {
				const last = published.filter((p) => p.uri === uri).at(-1);
				if (last && pred(last)) {
					resolve(last);
					return true;
				}
				return false;
			};
			if (check()) {
				return;
			}
			const listener = (): void => {
				if (check()) {
					onPublish = onPublish.filter((l) => l !== listener);
				}
			};
			onPublish.push(listener);
		}),
	);
}

// A CodeAction, not a bare Command. (CodeAction.is wants an edit or a
// command, which an action waiting for codeAction/resolve has neither of.)
const isCodeAction = (a: Command | CodeAction): a is CodeAction => typeof a.command !== 'string';

const byCode = (ds: Diagnostic[], code: string): Diagnostic[] => ds.filter((d) => d.code === code);

before(async () => {
	const bin = process.env.FAILFAST_BIN;
	assert.ok(
		bin && fs.existsSync(bin),
		`FAILFAST_BIN must name a failfast binary (go build -o /tmp/failfast ./cmd/failfast), got ${JSON.stringify(bin)}`,
	);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failfast-vscode-e2e-'));
	fs.cpSync(path.join(__dirname, '..', '..', '..', '..', 'testdata', 'demo'), dir, { recursive: true });
	proc = spawn(bin, ['serve'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
	proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
	conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
	conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
		pushed++;
		show(p);
	});
	conn.onRequest(DiagnosticRefreshRequest.type, () => {
		refreshes++;
		for (const uri of versions.keys()) {
			void pull(uri);
		}
	});
	conn.onNotification(ShowMessageNotification.type, (p) => {
		shown.push(p.message);
	});
	conn.onRequest(ConfigurationRequest.type, (p) => {
		configurationRequests.push(p);
		return p.items.map((it) => (it.section === 'failfast' ? serverSettingsFrom(section) : null));
	});
	conn.onRequest(RegistrationRequest.type, () => undefined);
	conn.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
	conn.listen();
});

after(() => {
	stopped = true;
	conn?.dispose();
	if (proc && proc.exitCode === null) {
		proc.kill();
	}
	if (dir) {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('failfast serve as VS Code drives it', { timeout: 120_000 }, async (t) => {
	const rootUri = pathToFileURL(dir).href;
	let init: InitializeResult;
	await t.test('initialize', async () => {
		init = await within(
			'initialize answered',
			STEP_MS,
			conn.sendRequest(InitializeRequest.type, {
				processId: process.pid,
				clientInfo: { name: 'Visual Studio Code', version: '1.91.0' },
				locale: 'en',
				rootUri,
				rootPath: dir,
				workspaceFolders: [{ uri: rootUri, name: 'demo' }],
				capabilities,
				initializationOptions: serverSettingsFrom(section),
				trace: 'off',
			}),
		);
		const caps = init.capabilities;
		assert.ok(
			caps.positionEncoding === undefined || caps.positionEncoding === 'utf-16',
			`positionEncoding ${caps.positionEncoding}`,
		);
		const ca = caps.codeActionProvider;
		assert.ok(ca && typeof ca === 'object', `codeActionProvider: ${JSON.stringify(ca)}`);
		assert.equal(ca.resolveProvider, true, 'codeActionProvider.resolveProvider');
		assert.ok(ca.codeActionKinds?.includes(FIX_ALL), `codeActionKinds ${JSON.stringify(ca.codeActionKinds)}`);
		assert.deepEqual(
			caps.diagnosticProvider,
			{ identifier: IDENTIFIER, interFileDependencies: true, workspaceDiagnostics: true },
			'diagnosticProvider (LSP 3.17 pull diagnostics)',
		);
		await conn.sendNotification(InitializedNotification.type, {});
		void pullWorkspace();
	});

	// handlers.go, with a comment whose characters take 1, 2 and 4 bytes
	// before the first type assertion, so UTF-16 columns differ from bytes.
	const file = path.join(dir, 'handlers.go');
	const original = fs.readFileSync(file, 'utf8');
	const marked = original.replace('\tsku := doc["sku"].(string)', '\tsku := /* ü🙂 */ doc["sku"].(string)');
	assert.notEqual(marked, original, 'handlers.go no longer has the line this test marks');
	fs.writeFileSync(file, marked);
	const uri = pathToFileURL(file).href;
	let doc = TextDocument.create(uri, 'go', 1, marked);
	const assertion = 'unchecked-type-assertion';

	let first: Diagnostic;
	let before: PublishDiagnosticsParams;
	await t.test('didOpen, then the diagnostics pulled, in UTF-16', async () => {
		versions.set(uri, doc.version);
		await conn.sendNotification(DidOpenTextDocumentNotification.type, {
			textDocument: { uri, languageId: 'go', version: doc.version, text: doc.getText() },
		});
		void pull(uri);
		before = await waitForDiagnostics(`diagnostics with ${assertion} published for ${uri}`, uri, (p) =>
			p.diagnostics.some((d) => d.code === assertion),
		);
		for (const d of before.diagnostics) {
			assert.equal(d.source, 'failfast');
		}
		const line = marked.split('\n').findIndex((l) => l.includes('/* ü🙂 */'));
		const found = byCode(before.diagnostics, assertion).find((d) => d.range.start.line === line);
		assert.ok(found, `no ${assertion} on line ${line + 1}: ${JSON.stringify(before.diagnostics)}`);
		first = found;
		const want = marked.split('\n')[line].indexOf('doc["sku"]'); // a JS index counts UTF-16 units
		assert.equal(first.range.start.character, want, 'start character in UTF-16 code units');
		assert.equal(doc.getText(first.range), 'doc["sku"].(string)', 'the range covers the assertion');
	});

	await t.test('quick fix: codeAction, codeAction/resolve, apply, didChange', async () => {
		const actions = await within(
			'textDocument/codeAction answered',
			STEP_MS,
			conn.sendRequest(CodeActionRequest.type, {
				textDocument: { uri },
				range: first.range,
				context: { diagnostics: [first], triggerKind: CodeActionTriggerKind.Automatic },
			}),
		);
		const quickfixes = (actions ?? []).filter(
			(a): a is CodeAction => isCodeAction(a) && a.kind === CodeActionKind.QuickFix,
		);
		const fix = quickfixes.find((a) => !a.title.startsWith('Ignore'));
		assert.ok(fix, `no quick fix for ${assertion}: ${JSON.stringify(actions)}`);
		assert.ok(
			quickfixes.some((a) => a.title.startsWith('Ignore')),
			`no "Ignore" action: ${JSON.stringify(actions)}`,
		);
		assert.equal(fix.edit, undefined, 'the edit comes from codeAction/resolve when the client supports it');
		const resolved = await within(
			'codeAction/resolve answered',
			STEP_MS,
			conn.sendRequest(CodeActionResolveRequest.type, fix),
		);
		assert.ok(resolved.edit, `resolved action has no edit: ${JSON.stringify(resolved)}`);
		const text = applyWorkspaceEdit(doc, resolved.edit);
		doc = TextDocument.create(uri, 'go', doc.version + 1, text);
		assert.ok(text.includes('/* ü🙂 */'), `the fix lost the comment:\n${text}`);
		versions.set(uri, doc.version);
		await conn.sendNotification(DidChangeTextDocumentNotification.type, {
			textDocument: { uri, version: doc.version },
			contentChanges: [{ text }],
		});
		const n = byCode(before.diagnostics, assertion).length;
		await waitForDiagnostics(`${assertion} at ${first.range.start.line + 1} gone after the fix`, uri, (p) => {
			const left = byCode(p.diagnostics, assertion);
			return (p.version ?? doc.version) === doc.version && left.length === n - 1 && !left.some((d) => d.message === first.message);
		});
	});

	await t.test('a file never opened gets diagnostics from the background pass', async () => {
		// store.go is never opened: its findings come from the background
		// pass, in workspace/diagnostic's reports, with no version.
		const store = pathToFileURL(path.join(dir, 'store.go')).href;
		const got = await waitForDiagnostics(`background diagnostics for ${store}, never opened`, store, (p) =>
			p.diagnostics.some((d) => d.code === 'nil-nil-return'),
		);
		assert.equal(got.version, undefined, 'a file that is not open has no version');
		for (const d of got.diagnostics) {
			assert.equal(d.source, 'failfast');
		}
		assert.ok(!pulls.has(store), 'store.go was pulled as a document, not reported by the workspace pull');
	});

	const off = 'unchecked-index';
	await t.test('a setting turned off through workspace/configuration', async () => {
		const last = published.filter((p) => p.uri === uri).at(-1)!;
		assert.ok(byCode(last.diagnostics, off).length > 0, `no ${off} to turn off: ${JSON.stringify(last.diagnostics)}`);
		const others = last.diagnostics.length - byCode(last.diagnostics, off).length;
		section = { ...section, rules: { [off]: 'off' } };
		const pulledBefore = configurationRequests.length;
		// What vscode-languageclient sends for synchronize.configurationSection.
		await conn.sendNotification(DidChangeConfigurationNotification.type, {
			settings: { failfast: serverSettingsFrom(section) },
		});
		await waitForDiagnostics(`${off} diagnostics gone after failfast.rules.${off} = "off"`, uri, (p) =>
			byCode(p.diagnostics, off).length === 0 && p.diagnostics.length === others,
		);
		assert.ok(configurationRequests.length > pulledBefore, 'the server did not pull workspace/configuration');
		assert.deepEqual(shown, [], 'the server complained about the settings');
	});

	await t.test('fix-all, as the failfast.fixAll command asks for it', async () => {
		const last = published.filter((p) => p.uri === uri).at(-1)!;
		const lines = doc.getText().split('\n');
		const actions = await within(
			`textDocument/codeAction with only ${FIX_ALL} answered`,
			STEP_MS,
			conn.sendRequest(CodeActionRequest.type, {
				textDocument: { uri },
				range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines.at(-1)!.length } },
				context: { diagnostics: [], only: [FIX_ALL], triggerKind: CodeActionTriggerKind.Invoked },
			}),
		);
		let action = (actions ?? []).find((a): a is CodeAction => isCodeAction(a) && a.kind === FIX_ALL);
		assert.ok(action, `no ${FIX_ALL} action: ${JSON.stringify(actions)}`);
		if (!action.edit) {
			action = await within('codeAction/resolve of fix-all answered', STEP_MS, conn.sendRequest(CodeActionResolveRequest.type, action));
		}
		assert.ok(action.edit, `fix-all has no edit: ${JSON.stringify(action)}`);
		const text = applyWorkspaceEdit(doc, action.edit);
		doc = TextDocument.create(uri, 'go', doc.version + 1, text);
		versions.set(uri, doc.version);
		await conn.sendNotification(DidChangeTextDocumentNotification.type, {
			textDocument: { uri, version: doc.version },
			contentChanges: [{ text }],
		});
		await waitForDiagnostics(`fewer diagnostics than ${last.diagnostics.length} after fix-all`, uri, (p) =>
			(p.version ?? doc.version) === doc.version && p.diagnostics.length < last.diagnostics.length,
		);
	});

	await t.test('the diagnostics were pulled, never pushed', async () => {
		assert.equal(pushed, 0, 'publishDiagnostics sent to a client that pulls');
		assert.deepEqual(pullErrors, [], 'failed pulls');
		assert.ok(pulled > 0 && refreshes > 0, `pulled ${pulled} times after ${refreshes} refreshes`);
		// The workspace pull reports the open document too, with its version
		// and the resultId its own pull got (so "unchanged" once VS Code sends
		// that back).
		const ws = await within(
			'workspace/diagnostic answered',
			STEP_MS,
			conn.sendRequest(WorkspaceDiagnosticRequest.type, { identifier: IDENTIFIER, previousResultIds: [] }),
		);
		const mine = ws.items.find((it) => it.uri === uri);
		assert.ok(mine, `workspace/diagnostic has no report for ${uri}: ${JSON.stringify(ws.items.map((it) => it.uri))}`);
		assert.equal(mine.version, doc.version, 'the workspace report names the version it describes');
		assert.ok(workspaceAnswers > 0, 'the workspace pull loop got no answer');
	});

	await t.test('shutdown and exit', async () => {
		stopped = true;
		const exited = new Promise<number | null>((resolve) => {
			if (proc.exitCode !== null) {
				resolve(proc.exitCode);
			} else {
				proc.on('exit', (code) => resolve(code));
			}
		});
		await within('shutdown answered', STEP_MS, conn.sendRequest(ShutdownRequest.type));
		await conn.sendNotification(ExitNotification.type);
		const code = await within('the server process exited after exit', 10_000, exited);
		assert.equal(code, 0, `exit status (stderr: ${stderr.slice(-2000)})`);
	});
});
