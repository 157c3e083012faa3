// The backprop test page's script: the fake VS Code API, a dark theme's variables, then the real backprop webview.
import '../fake-vscode';
import '../theme.css';
import '../../../webview/backprop/main';
