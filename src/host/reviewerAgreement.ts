// VLM4D: Compare Annotations With Another File…: your annotations against a file another reviewer wrote, shown
// in the dashboard (Cohen's kappa per tag and for verdict overrides, and every prediction where you differ),
// computed again whenever your annotations change. The file is the one the user picked in the open dialog (or
// passed to the command): reading it is the user's own choice; it is only read, never written.
import * as vscode from 'vscode';
import { agreement } from '../core/agreement';
import type { Annotations } from '../core/annotations/format';
import type { ReviewerComparison } from '../core/reviewers';
import { REVIEWER_FILE_LIMIT, compareReviewers, ownAnnotations } from '../core/reviewers';
import type { HostToDashboard } from '../protocol/dashboard';
import type { AnnotationService } from './annotations';
import type { IndexService } from './indexService';

/** How many disagreements are looked up in the index to tell which can be opened. */
const LOOKUP_LIMIT = 5_000;

export class ReviewerAgreement {
  private other: { uri: vscode.Uri; data: Annotations } | null = null;
  /** What the page was last sent, for tests. */
  last: ReviewerComparison | null = null;

  constructor(
    private readonly index: IndexService,
    private readonly annotations: AnnotationService,
    private readonly post: (m: HostToDashboard) => void,
    private readonly openPrediction: (id: number) => Promise<void>,
  ) {}

  /** The file from the command's argument (a Uri or an absolute path), else from the open dialog. */
  async pick(arg: unknown): Promise<vscode.Uri | null> {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string' && arg) return vscode.Uri.file(arg);
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      openLabel: 'Compare',
      title: "VLM4D: choose another reviewer's annotations file",
      filters: { 'Annotations (JSON)': ['json'], 'All files': ['*'] },
    });
    return picked?.[0] ?? null;
  }

  /** Reads and compares `uri`; false (and says why) when it cannot be compared. */
  async compareWith(uri: vscode.Uri): Promise<boolean> {
    const refuse = (why: string) => {
      void vscode.window.showErrorMessage(`VLM4D: cannot compare with ${uri.fsPath}: ${why}.`);
      return false;
    };
    if (this.annotations.files().some((f) => f.file === uri.fsPath))
      return refuse('it is your own annotations file; choose the other reviewer’s');
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) return refuse('it is a folder');
      if (stat.size > REVIEWER_FILE_LIMIT)
        return refuse(`it is ${Math.round(stat.size / 1048576)} MB, more than an annotations file holds`);
      text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    } catch (e) {
      return refuse(`it cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
    const check = compareReviewers(this.own(), text);
    if (!check.ok) return refuse(check.reason);
    this.other = { uri, data: check.other };
    await this.refresh();
    return true;
  }

  private own(): Annotations {
    return ownAnnotations(
      this.annotations
        .files()
        .map((f) => this.annotations.data(f.root))
        .filter((d): d is Annotations => !!d),
    );
  }

  /** Compares again (your annotations changed, or the page was opened anew) and posts it. */
  async refresh(): Promise<void> {
    const other = this.other;
    if (!other) return;
    // Once compared, a change of yours that leaves no prediction in common shows as n = 0.
    const result = agreement(this.own(), other.data);
    const missing: string[] = [];
    for (const d of result.disagreements.slice(0, LOOKUP_LIMIT))
      if ((await this.index.call('predictionIdByKey', { key: d.key }).catch(() => null)) === null) missing.push(d.key);
    if (other !== this.other) return;
    const fileA = this.annotations
      .files()
      .map((f) => f.file)
      .join(', ');
    this.last = { fileA, fileB: other.uri.fsPath, result, missing };
    this.post({ type: 'reviewers', comparison: this.last });
  }

  /** A disagreement clicked: its prediction in the detail view. */
  async open(key: string): Promise<void> {
    const id = await this.index.call('predictionIdByKey', { key });
    if (id === null) {
      void vscode.window.showWarningMessage(`VLM4D: ${key} is not in the results open.`);
      return;
    }
    await this.openPrediction(id);
  }
}
