// Theme variables as VS Code hands them to a webview (a `--vscode-<color id with . as ->` custom property per
// theme colour, plus fonts) and the body class it sets, for the themes the screenshots use: Dark Modern,
// Light Modern and Dark High Contrast (theme colours plus the colour registry's defaults for what they leave
// out). Only the colours the panel or vscode-elements read are listed.
export type ThemeName = 'dark' | 'light' | 'hc';

const FONTS = {
  'font-family': "system-ui, 'Ubuntu', 'Droid Sans', sans-serif",
  'font-weight': 'normal',
  'font-size': '13px',
  'editor-font-family': "'Droid Sans Mono', 'monospace', monospace",
  'editor-font-size': '14px',
};

const DARK = {
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  errorForeground: '#f85149',
  focusBorder: '#0078d4',
  'charts.orange': '#d18616',
  'charts.foreground': '#cccccc',
  'charts.lines': '#cccccc80',
  'charts.red': '#f14c4c',
  'charts.blue': '#3794ff',
  'charts.yellow': '#cca700',
  'charts.green': '#89d185',
  'charts.purple': '#b180d7',
  'editor.findMatchHighlightBackground': '#ea5c0055',
  'editorWarning.foreground': '#cca700',
  'icon.foreground': '#cccccc',
  'widget.border': '#313131',
  'sideBar.background': '#181818',
  'sideBar.foreground': '#cccccc',
  'sideBarSectionHeader.border': '#2b2b2b',
  'panel.border': '#2b2b2b',
  'editor.background': '#1f1f1f',
  'editor.foreground': '#cccccc',
  'badge.background': '#616161',
  'badge.foreground': '#f8f8f8',
  'button.background': '#0078d4',
  'button.foreground': '#ffffff',
  'button.hoverBackground': '#026ec1',
  'button.border': '#ffffff1a',
  'button.secondaryBackground': '#00000000',
  'button.secondaryForeground': '#cccccc',
  'button.secondaryHoverBackground': '#2b2b2b',
  'checkbox.background': '#313131',
  'checkbox.border': '#3c3c3c',
  'input.background': '#313131',
  'input.border': '#3c3c3c',
  'input.foreground': '#cccccc',
  'input.placeholderForeground': '#989898',
  'inputOption.activeBackground': '#2489db82',
  'inputOption.activeBorder': '#2488db',
  'inputOption.activeForeground': '#ffffff',
  'dropdown.background': '#313131',
  'dropdown.border': '#3c3c3c',
  'dropdown.foreground': '#cccccc',
  'dropdown.listBackground': '#1f1f1f',
  'settings.dropdownBackground': '#313131',
  'settings.dropdownBorder': '#3c3c3c',
  'settings.dropdownForeground': '#cccccc',
  'settings.dropdownListBorder': '#454545',
  'settings.checkboxBackground': '#313131',
  'settings.checkboxBorder': '#3c3c3c',
  'settings.textInputBackground': '#313131',
  'settings.textInputForeground': '#cccccc',
  'settings.textInputBorder': '#3c3c3c',
  'checkbox.foreground': '#cccccc',
  'widget.shadow': '#0000005c',
  'list.activeSelectionBackground': '#04395e',
  'list.activeSelectionForeground': '#ffffff',
  'list.inactiveSelectionBackground': '#37373d',
  'list.hoverBackground': '#2a2d2e',
  'list.focusOutline': '#0078d4',
  'list.highlightForeground': '#2aaaff',
  'list.focusHighlightForeground': '#2aaaff',
  'toolbar.hoverBackground': '#5a5d5e50',
  'toolbar.activeBackground': '#63666750',
  'progressBar.background': '#0078d4',
  'textLink.foreground': '#4daafc',
  'textLink.activeForeground': '#4daafc',
  'testing.iconFailed': '#f14c4c',
  'testing.iconPassed': '#73c991',
  'scrollbarSlider.background': '#79797966',
  'scrollbarSlider.hoverBackground': '#646464b3',
  'scrollbarSlider.activeBackground': '#bfbfbf66',
};

const LIGHT = {
  foreground: '#3b3b3b',
  descriptionForeground: '#3b3b3b',
  errorForeground: '#f85149',
  focusBorder: '#005fb8',
  'charts.orange': '#d18616',
  'charts.foreground': '#3b3b3b',
  'charts.lines': '#3b3b3b80',
  'charts.red': '#e51400',
  'charts.blue': '#1a85ff',
  'charts.yellow': '#bf8803',
  'charts.green': '#388a34',
  'charts.purple': '#652d90',
  'editor.findMatchHighlightBackground': '#ea5c0055',
  'editorWarning.foreground': '#bf8803',
  'icon.foreground': '#3b3b3b',
  'widget.border': '#e5e5e5',
  'sideBar.background': '#f8f8f8',
  'sideBar.foreground': '#3b3b3b',
  'sideBarSectionHeader.border': '#e5e5e5',
  'panel.border': '#e5e5e5',
  'editor.background': '#ffffff',
  'editor.foreground': '#3b3b3b',
  'badge.background': '#cccccc',
  'badge.foreground': '#3b3b3b',
  'button.background': '#005fb8',
  'button.foreground': '#ffffff',
  'button.hoverBackground': '#0258a8',
  'button.border': '#0000001a',
  'button.secondaryBackground': '#e5e5e5',
  'button.secondaryForeground': '#3b3b3b',
  'button.secondaryHoverBackground': '#cccccc',
  'checkbox.background': '#f8f8f8',
  'checkbox.border': '#cecece',
  'input.background': '#ffffff',
  'input.border': '#cecece',
  'input.foreground': '#3b3b3b',
  'input.placeholderForeground': '#767676',
  'inputOption.activeBackground': '#bed6ed',
  'inputOption.activeBorder': '#005fb8',
  'inputOption.activeForeground': '#000000',
  'dropdown.background': '#ffffff',
  'dropdown.border': '#cecece',
  'dropdown.foreground': '#3b3b3b',
  'dropdown.listBackground': '#ffffff',
  'settings.dropdownBackground': '#ffffff',
  'settings.dropdownBorder': '#cecece',
  'settings.dropdownForeground': '#3b3b3b',
  'settings.dropdownListBorder': '#c8c8c8',
  'settings.checkboxBackground': '#f8f8f8',
  'settings.checkboxBorder': '#cecece',
  'settings.textInputBackground': '#ffffff',
  'settings.textInputForeground': '#3b3b3b',
  'settings.textInputBorder': '#cecece',
  'checkbox.foreground': '#3b3b3b',
  'widget.shadow': '#00000029',
  'list.activeSelectionBackground': '#e8e8e8',
  'list.activeSelectionForeground': '#000000',
  'list.inactiveSelectionBackground': '#e4e6f1',
  'list.hoverBackground': '#f2f2f2',
  'list.focusOutline': '#005fb8',
  'list.highlightForeground': '#0066bf',
  'list.focusHighlightForeground': '#0066bf',
  'toolbar.hoverBackground': '#b8b8b850',
  'toolbar.activeBackground': '#a6a6a650',
  'progressBar.background': '#005fb8',
  'textLink.foreground': '#005fb8',
  'textLink.activeForeground': '#005fb8',
  'testing.iconFailed': '#e51400',
  'testing.iconPassed': '#388a34',
  'scrollbarSlider.background': '#64646466',
  'scrollbarSlider.hoverBackground': '#646464b3',
  'scrollbarSlider.activeBackground': '#00000099',
};

const HIGH_CONTRAST = {
  foreground: '#ffffff',
  descriptionForeground: '#ffffffb3',
  errorForeground: '#f48771',
  focusBorder: '#f38518',
  'charts.orange': '#d18616',
  'charts.foreground': '#ffffff',
  'charts.lines': '#ffffff80',
  'charts.red': '#f48771',
  'charts.blue': '#3794ff',
  'charts.yellow': '#ffd370',
  'charts.green': '#89d185',
  'charts.purple': '#b180d7',
  'editor.findMatchBorder': '#f38518',
  'editorWarning.foreground': '#ffd370',
  contrastBorder: '#6fc3df',
  contrastActiveBorder: '#f38518',
  'icon.foreground': '#ffffff',
  'widget.border': '#6fc3df',
  'sideBar.background': '#000000',
  'sideBar.foreground': '#ffffff',
  'sideBarSectionHeader.border': '#6fc3df',
  'panel.border': '#6fc3df',
  'editor.background': '#000000',
  'editor.foreground': '#ffffff',
  'badge.background': '#000000',
  'badge.foreground': '#ffffff',
  'button.background': '#000000',
  'button.foreground': '#ffffff',
  'button.border': '#6fc3df',
  'button.secondaryForeground': '#ffffff',
  'checkbox.background': '#000000',
  'checkbox.border': '#6fc3df',
  'input.background': '#000000',
  'input.border': '#6fc3df',
  'input.foreground': '#ffffff',
  'input.placeholderForeground': '#ffffffb3',
  'inputOption.activeBackground': '#00000000',
  'inputOption.activeBorder': '#6fc3df',
  'inputOption.activeForeground': '#ffffff',
  'dropdown.background': '#000000',
  'dropdown.border': '#6fc3df',
  'dropdown.foreground': '#ffffff',
  'dropdown.listBackground': '#000000',
  'settings.dropdownBackground': '#000000',
  'settings.dropdownBorder': '#6fc3df',
  'settings.dropdownForeground': '#ffffff',
  'settings.dropdownListBorder': '#6fc3df',
  'settings.checkboxBackground': '#000000',
  'settings.checkboxBorder': '#6fc3df',
  'settings.textInputBackground': '#000000',
  'settings.textInputForeground': '#ffffff',
  'settings.textInputBorder': '#6fc3df',
  'checkbox.foreground': '#ffffff',
  'list.focusOutline': '#f38518',
  'list.highlightForeground': '#f38518',
  'list.focusHighlightForeground': '#f38518',
  'toolbar.hoverOutline': '#f38518',
  'progressBar.background': '#6fc3df',
  'textLink.foreground': '#21a6ff',
  'textLink.activeForeground': '#21a6ff',
  'testing.iconFailed': '#f14c4c',
  'testing.iconPassed': '#73c991',
  'scrollbarSlider.background': '#6fc3df99',
  'scrollbarSlider.hoverBackground': '#6fc3dfcc',
  'scrollbarSlider.activeBackground': '#6fc3df',
};

export const THEMES: Record<ThemeName, { bodyClass: string; colors: Record<string, string> }> = {
  dark: { bodyClass: 'vscode-dark', colors: DARK },
  light: { bodyClass: 'vscode-light', colors: LIGHT },
  hc: { bodyClass: 'vscode-high-contrast', colors: HIGH_CONTRAST },
};

/** The theme as a stylesheet: VS Code sets these on <html> from its own script; served as a file here. */
export function themeCss(name: ThemeName): string {
  const vars = [
    ...Object.entries(FONTS).map(([k, v]) => `  --vscode-${k}: ${v};`),
    ...Object.entries(THEMES[name].colors).map(([k, v]) => `  --vscode-${k.replace('.', '-')}: ${v};`),
  ];
  return `:root {\n${vars.join('\n')}\n}\nhtml { background: var(--vscode-sideBar-background); }\n`;
}

/** The default styles VS Code puts into every webview (src/vs/workbench/contrib/webview/browser/pre/index.html). */
export const VSCODE_DEFAULT_CSS = `
html { scrollbar-color: var(--vscode-scrollbarSlider-background) var(--vscode-editor-background); }
body {
  overscroll-behavior-x: none;
  background-color: transparent;
  color: var(--vscode-editor-foreground);
  font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight);
  font-size: var(--vscode-font-size);
  margin: 0;
  padding: 0 20px;
}
img, video { max-width: 100%; max-height: 100%; }
a, a code { color: var(--vscode-textLink-foreground); }
p > a { text-decoration: var(--text-link-decoration); }
a:hover { color: var(--vscode-textLink-activeForeground); }
a:focus, input:focus, select:focus, textarea:focus { outline: 1px solid -webkit-focus-ring-color; outline-offset: -1px; }
code { font-family: var(--monaco-monospace-font); color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
::-webkit-scrollbar { width: 10px; height: 10px; }
::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
::-webkit-scrollbar-thumb:hover { background-color: var(--vscode-scrollbarSlider-hoverBackground); }
::-webkit-scrollbar-thumb:active { background-color: var(--vscode-scrollbarSlider-activeBackground); }
::highlight(find-highlight) { background-color: var(--vscode-editor-findMatchHighlightBackground); }
::highlight(current-find-highlight) { background-color: var(--vscode-editor-findMatchBackground); }
`;
