// The matrix test page's script: the fake VS Code API, a dark theme's variables, then the real matrix webview.
import '../fake-vscode';
import '../theme.css';
import './theme.css';
import '../../../webview/matrix/main';
