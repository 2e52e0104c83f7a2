// isolint for VS Code: starts `isolint server` and hands it the Bicep, ARM JSON and
// Terraform documents. Everything else (diagnostics, quick fixes, suppressions, hovers)
// comes from the server over the Language Server Protocol.

import * as vscode from 'vscode';
import {
  DocumentSelector,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

// The documents the server judges, by file name: the Bicep and Terraform languages are
// only known when their extensions are installed.
function documentSelector(json: boolean): DocumentSelector {
  const patterns = ['**/*.bicep', '**/*.bicepparam', '**/*.tf', '**/*.tfvars'];
  if (json) {
    patterns.push('**/*.json', '**/*.jsonc');
  }
  return patterns.map((pattern) => ({ scheme: 'file', pattern }));
}

async function start(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('isolint');
  const command = configuration.get<string>('path') || 'isolint';
  // TransportKind.stdio adds `--stdio`, which `isolint server` accepts.
  const serverOptions: ServerOptions = {
    command,
    args: ['server'],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(configuration.get<boolean>('json') ?? true),
  };
  client = new LanguageClient('isolint', 'isolint', serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('isolint.restart', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('isolint')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
