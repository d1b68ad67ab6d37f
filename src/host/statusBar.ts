import * as vscode from 'vscode';
import type { IndexService, IndexState } from './indexService';

/** Counts of the open results (predictions, failures); a click opens the side panel. */
export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('vlm4d.status', vscode.StatusBarAlignment.Left, 50);
  private readonly sub: vscode.Disposable;

  constructor(index: IndexService) {
    this.item.name = 'VLM4D Results';
    this.item.command = 'vlm4d.showPanel';
    this.sub = index.onDidChangeState((s) => this.render(s));
    this.render(index.state);
  }

  private render(s: IndexState): void {
    const n = (x: number) => x.toLocaleString('en-US');
    switch (s.kind) {
      case 'idle':
      case 'empty':
        this.item.hide();
        return;
      case 'indexing':
        this.item.text = `$(sync~spin) VLM4D: indexing ${s.done}/${s.total}`;
        this.item.tooltip = 'Indexing VLM4D results';
        break;
      case 'ready': {
        // Failures graded by the rule (raw outputs) are never passed off as a judge's.
        const rule = s.counts.ruleGradedFailures ? ` (${n(s.counts.ruleGradedFailures)} rule-graded)` : '';
        this.item.text = `$(eye) ${n(s.counts.predictions)} predictions · ${n(s.counts.failures)} failed${rule}`;
        this.item.tooltip = `VLM4D: ${n(s.counts.predictions)} predictions in ${s.counts.runs} runs, ${n(s.counts.failures)} failed${rule}. Click to open the VLM4D side bar.`;
        break;
      }
    }
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
