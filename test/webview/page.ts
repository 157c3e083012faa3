// The test page's script: the fake VS Code API first, a dark theme's variables, then the real webview.
import './fake-vscode';
import './theme.css';
import '../../webview/gradient/main';
