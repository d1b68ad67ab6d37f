import type * as vscode from 'vscode';

// Wiring only; the host layer (src/host/) does the work.
export function activate(_context: vscode.ExtensionContext): void {
  // filled in by the host issue
}

export function deactivate(): void {}
