// The side view's test page script: the fake VS Code API, a dark theme's variables, then the real side webview.
import '../fake-vscode';
import '../theme.css';
import '../matrix/theme.css';
import '../../../webview/side/main';
