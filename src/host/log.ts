import * as vscode from 'vscode';

/** The "VLM4D" output channel; keeps recent lines so tests and the status can read them back. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('VLM4D');
  private readonly recent: string[] = [];

  line(text: string): void {
    const stamped = `[${new Date().toISOString().slice(11, 23)}] ${text}`;
    this.channel.appendLine(stamped);
    this.recent.push(text);
    if (this.recent.length > 2000) this.recent.splice(0, this.recent.length - 2000);
  }

  lines(): readonly string[] {
    return this.recent;
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
