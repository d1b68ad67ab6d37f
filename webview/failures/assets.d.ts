// esbuild.js loads .css as text (webview bundles adopt it as a constructed stylesheet).
declare module '*.css' {
  const text: string;
  export = text;
}
