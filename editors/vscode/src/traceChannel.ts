// The *packls Trace* output: exactly what `packls.trace.server` asks for.
// vscode-languageclient 11 traces only while its trace channel's log level is Trace (which a user
// would have to set by hand) and then traces even when the setting is "off". This channel reports
// the level the setting implies and writes trace lines to a plain output channel, so the setting
// alone decides, and changes to it apply at once.

import * as vscode from "vscode";
import { traceRequested } from "./settings";

export class SettingTraceChannel implements vscode.LogOutputChannel {
  private readonly channel: vscode.OutputChannel;
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly listener: vscode.Disposable;
  private level: vscode.LogLevel;
  readonly onDidChangeLogLevel = this.levelChanged.event;

  constructor(
    readonly name: string,
    private readonly setting: () => unknown,
  ) {
    this.channel = vscode.window.createOutputChannel(name);
    this.level = this.wanted();
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      const next = this.wanted();
      if (event.affectsConfiguration("packls.trace.server") && next !== this.level) {
        this.level = next;
        this.levelChanged.fire(next);
      }
    });
  }

  get logLevel(): vscode.LogLevel {
    return this.level;
  }

  private wanted(): vscode.LogLevel {
    return traceRequested(this.setting()) ? vscode.LogLevel.Trace : vscode.LogLevel.Off;
  }

  private write(level: string, message: string | Error): void {
    const time = new Date().toISOString().slice(11, 23);
    this.channel.appendLine(`[${level} - ${time}] ${message instanceof Error ? message.message : message}`);
  }

  trace(message: string): void {
    this.write("Trace", message);
  }
  debug(message: string): void {
    this.write("Debug", message);
  }
  info(message: string): void {
    this.write("Info", message);
  }
  warn(message: string): void {
    this.write("Warn", message);
  }
  error(message: string | Error): void {
    this.write("Error", message);
  }
  append(value: string): void {
    this.channel.append(value);
  }
  appendLine(value: string): void {
    this.channel.appendLine(value);
  }
  replace(value: string): void {
    this.channel.replace(value);
  }
  clear(): void {
    this.channel.clear();
  }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === "boolean") {
      this.channel.show(columnOrPreserveFocus);
    } else {
      this.channel.show(columnOrPreserveFocus, preserveFocus);
    }
  }
  hide(): void {
    this.channel.hide();
  }
  dispose(): void {
    this.listener.dispose();
    this.levelChanged.dispose();
    this.channel.dispose();
  }
}
