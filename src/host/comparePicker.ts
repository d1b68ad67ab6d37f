// Compare Runs…: two quick picks over the indexed runs (`<prompt>/<model>_<sampling>`), each filtering as
// you type, for A (the baseline) and then B (the run under study).
import * as vscode from 'vscode';

/** One pick from `runs`; undefined when dismissed. Exposed to tests through `onShown`. */
export function pickRun(
  runs: readonly string[],
  title: string,
  placeholder: string,
  onShown?: (pick: vscode.QuickPick<vscode.QuickPickItem>) => void,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick();
    pick.title = title;
    pick.placeholder = placeholder;
    pick.matchOnDescription = true;
    // Open until a run is chosen or Escape: the dashboard opening beside it must not close it.
    pick.ignoreFocusOut = true;
    pick.items = runs.map((label) => ({ label }));
    let chosen: string | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.label ?? pick.activeItems[0]?.label;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
    onShown?.(pick);
  });
}

/** A then B, B from the runs other than A; undefined when either pick is dismissed or fewer than two runs exist. */
export async function pickComparison(
  runs: readonly string[],
  onShown?: (pick: vscode.QuickPick<vscode.QuickPickItem>) => void,
): Promise<{ a: string; b: string } | undefined> {
  if (runs.length < 2) {
    void vscode.window.showInformationMessage(
      `VLM4D: comparing needs two runs; the index holds ${runs.length === 1 ? `only ${runs[0]}` : 'none'}.`,
    );
    return undefined;
  }
  const a = await pickRun(runs, 'VLM4D: Compare Runs (1/2)', 'Run A, the baseline: type to filter', onShown);
  if (!a) return undefined;
  const b = await pickRun(
    runs.filter((r) => r !== a),
    `VLM4D: Compare Runs (2/2) against ${a}`,
    'Run B, the run under study: type to filter',
    onShown,
  );
  return b ? { a, b } : undefined;
}
