// The dashboard's comparison of two runs: which runs (picked in quick picks), the comparison computed in the
// index worker, posted to the page, and computed again whenever the page gets new data (a re-index, an
// override: verdicts in force change the comparison).
import * as vscode from 'vscode';
import type { RunComparisonResult } from '../core/compare/slices';
import type { HostToDashboard } from '../protocol/dashboard';
import { pickComparison } from './comparePicker';
import type { IndexService } from './indexService';

export class DashboardComparison {
  private runs: { a: string; b: string } | null = null;
  /** What the page was last sent, for tests. */
  last: RunComparisonResult | null = null;
  /** Called with each quick pick as it opens (tests type into it). */
  onPickShown: ((pick: vscode.QuickPick<vscode.QuickPickItem>) => void) | undefined;

  constructor(
    private readonly index: IndexService,
    private readonly post: (m: HostToDashboard) => void,
  ) {}

  /** Asks for A and B, then compares them; false when the picks were dismissed. */
  async pick(): Promise<boolean> {
    let names: string[];
    try {
      names = await this.index.call('comparisonRuns', {});
    } catch (e) {
      void vscode.window.showErrorMessage(`VLM4D: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    const chosen = await pickComparison(names, this.onPickShown);
    if (!chosen) return false;
    this.runs = chosen;
    await this.refresh();
    return true;
  }

  /** Computes the chosen comparison again and posts it (nothing when none was chosen). */
  async refresh(): Promise<void> {
    const runs = this.runs;
    if (!runs) return;
    try {
      const result = await this.index.call('compare', runs);
      if (runs !== this.runs) return;
      this.last = result;
      this.post({ type: 'comparison', result });
    } catch (e) {
      this.post({ type: 'comparison', result: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
