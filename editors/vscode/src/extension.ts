// The failfast extension: starts `failfast serve` for Go files and adds the
// restart, fix-all and show-output commands. Finding the binary is in
// binary.ts and the settings sent to the server in settings.ts, which do not
// import 'vscode' and are tested under Node.

import * as vscode from 'vscode';
import {
	CodeAction,
	CodeActionRequest,
	CodeActionResolveRequest,
	CodeActionTriggerKind,
	Command,
	LanguageClient,
	LanguageClientOptions,
	ServerOptions,
	TransportKind,
} from 'vscode-languageclient/node';
import { findBinary, skippedMessage } from './binary';
import { needsRestart, serverSettings, serverSettingsFrom } from './settings';

const SECTION = 'failfast';
const FIX_ALL_KIND = 'source.fixAll.failfast';

let context: vscode.ExtensionContext;
let output: vscode.LogOutputChannel;
let client: LanguageClient | undefined;
let watchers: vscode.FileSystemWatcher[] = [];
// Starts and restarts run one at a time, in order.
let pending: Promise<void> = Promise.resolve();

export function activate(ctx: vscode.ExtensionContext): Promise<void> {
	context = ctx;
	output = vscode.window.createOutputChannel('failfast', { log: true });
	ctx.subscriptions.push(
		output,
		vscode.commands.registerCommand('failfast.restart', () => restart('restart requested')),
		vscode.commands.registerCommand('failfast.fixAll', fixAll),
		vscode.commands.registerCommand('failfast.showOutput', () => output.show(true)),
		vscode.workspace.onDidChangeConfiguration((e) => {
			// Every other setting reaches the running server through
			// didChangeConfiguration; a new binary needs a new server.
			if (needsRestart((s) => e.affectsConfiguration(s))) {
				void restart('failfast.path changed');
			}
		}),
	);
	return restart('activated');
}

export function deactivate(): Promise<void> {
	return enqueue(stop);
}

function enqueue(step: () => Promise<void>): Promise<void> {
	pending = pending.then(step, step);
	return pending;
}

function restart(reason: string): Promise<void> {
	return enqueue(async () => {
		output.appendLine(`[${new Date().toISOString()}] starting failfast (${reason})`);
		await stop();
		await start();
	});
}

async function stop(): Promise<void> {
	const c = client;
	client = undefined;
	if (c) {
		try {
			await c.stop(5000);
		} catch (err) {
			output.appendLine(`failfast: stopping the server: ${String(err)}`);
		}
		await c.dispose();
	}
	for (const w of watchers.splice(0)) {
		w.dispose();
	}
}

async function start(): Promise<void> {
	const config = vscode.workspace.getConfiguration(SECTION);
	const found = await findBinary({
		setting: config.get<string>('path'),
		extensionPath: context.extensionPath,
		workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
	});
	if (!found.ok) {
		output.appendLine(found.message);
		void showError(found.message);
		return;
	}
	for (const s of found.skipped) {
		const msg = skippedMessage(s) + `; using ${found.path}`;
		output.appendLine(msg);
		if (s.source === 'setting') {
			void vscode.window.showWarningMessage(msg, 'Open Settings').then((choice) => {
				if (choice) {
					void vscode.commands.executeCommand('workbench.action.openSettings', 'failfast.path');
				}
			});
		}
	}
	output.appendLine(`failfast: using ${found.path} (${found.source}): ${found.version}`);

	const serverOptions: ServerOptions = {
		command: found.path,
		args: ['serve'],
		transport: TransportKind.stdio,
	};
	watchers = ['**/.failfast.yaml', '**/go.mod', '**/go.work'].map((g) =>
		vscode.workspace.createFileSystemWatcher(g),
	);
	const clientOptions: LanguageClientOptions = {
		documentSelector: [{ scheme: 'file', language: 'go' }],
		outputChannel: output,
		initializationOptions: serverSettings((k) => config.get(k)),
		synchronize: {
			configurationSection: SECTION,
			fileEvents: watchers,
		},
		middleware: {
			workspace: {
				// The server pulls its section on didChangeConfiguration:
				// send it what the server reads, not the extension's keys.
				configuration: async (params, token, next) => {
					const result = await next(params, token);
					if (!Array.isArray(result)) {
						return result;
					}
					return result.map((r, i) =>
						params.items[i]?.section === SECTION ? serverSettingsFrom(r as Record<string, unknown>) : r,
					);
				},
			},
		},
	};
	// The id 'failfast' makes the client read failfast.trace.server.
	const c = new LanguageClient(SECTION, 'failfast', serverOptions, clientOptions);
	try {
		await c.start();
	} catch (err) {
		const msg = `failfast: ${found.path} serve did not start: ${err instanceof Error ? err.message : String(err)}`;
		output.appendLine(msg);
		void showError(msg);
		await c.dispose().catch(() => undefined);
		for (const w of watchers.splice(0)) {
			w.dispose();
		}
		return;
	}
	client = c;
}

async function showError(message: string): Promise<void> {
	const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
	if (choice === 'Open Settings') {
		await vscode.commands.executeCommand('workbench.action.openSettings', 'failfast.path');
	} else if (choice === 'Show Output') {
		output.show(true);
	}
}

/** A CodeAction, not a bare Command. (CodeAction.is wants an edit or a
 * command, which an action waiting for codeAction/resolve has neither of.) */
function isCodeAction(a: Command | CodeAction): a is CodeAction {
	return typeof a.command !== 'string';
}

/** Asks the server for the fix-all action on the active Go file and applies it. */
async function fixAll(): Promise<void> {
	const editor = vscode.window.activeTextEditor;
	if (!editor || editor.document.languageId !== 'go') {
		void vscode.window.showInformationMessage('failfast: open a Go file to fix.');
		return;
	}
	await pending;
	const c = client;
	if (!c || !c.isRunning()) {
		void vscode.window.showErrorMessage('failfast: the server is not running; see the failfast output.', 'Show Output').then(
			(choice) => choice && output.show(true),
		);
		return;
	}
	const doc = editor.document;
	const name = vscode.workspace.asRelativePath(doc.uri);
	const version = doc.version;
	const last = doc.lineAt(doc.lineCount - 1).range.end;
	const actions = await c.sendRequest(CodeActionRequest.type, {
		textDocument: c.code2ProtocolConverter.asTextDocumentIdentifier(doc),
		range: c.code2ProtocolConverter.asRange(new vscode.Range(new vscode.Position(0, 0), last)),
		context: { diagnostics: [], only: [FIX_ALL_KIND], triggerKind: CodeActionTriggerKind.Invoked },
	});
	let action = (actions ?? []).find((a): a is CodeAction => isCodeAction(a) && a.kind === FIX_ALL_KIND);
	if (action && !action.edit) {
		action = await c.sendRequest(CodeActionResolveRequest.type, action);
	}
	if (!action || !action.edit) {
		void vscode.window.showInformationMessage(`failfast: nothing to fix in ${name}.`);
		return;
	}
	if (doc.version !== version) {
		void vscode.window.showInformationMessage(`failfast: ${name} changed while fixing; run the command again.`);
		return;
	}
	const edit = await c.protocol2CodeConverter.asWorkspaceEdit(action.edit);
	if (!(await vscode.workspace.applyEdit(edit))) {
		void vscode.window.showErrorMessage(`failfast: the fixes for ${name} could not be applied.`);
		return;
	}
	if (action.command) {
		await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
	}
	output.appendLine(`failfast: applied "${action.title}" to ${name}`);
}
