import assert from "node:assert/strict";
import { test } from "node:test";
import { gated, RequestGate, RUNNING, STOPPED, type GatedClient } from "../../src/requestGate";

const STARTING = 3;

function fakeClient(state: number): GatedClient & { to(state: number): void } {
  const listeners: ((e: { newState: number }) => void)[] = [];
  const client = {
    state,
    onDidChangeState(listener: (e: { newState: number }) => void) {
      listeners.push(listener);
      return { dispose: () => undefined };
    },
    to(next: number) {
      client.state = next;
      listeners.forEach((l) => l({ newState: next }));
    },
  };
  return client;
}

test("a request made while the server starts waits for it, then goes through", async () => {
  const client = fakeClient(STARTING);
  const calls: unknown[][] = [];
  const gate = new RequestGate(client);
  const hook = gated(() => gate.open());
  const answer = hook("doc", "range", (...args: unknown[]) => {
    calls.push(args);
    return "actions";
  });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(calls, [], "not sent before the server runs");
  client.to(RUNNING);
  assert.equal(await answer, "actions");
  assert.deepEqual(calls, [["doc", "range"]]);
});

test("a stop before the server is up answers nothing instead of failing", async () => {
  const client = fakeClient(STARTING);
  const gate = new RequestGate(client);
  let sent = false;
  const answer = gated(() => gate.open())("doc", () => {
    sent = true;
  });
  gate.close();
  assert.equal(await answer, undefined);
  assert.equal(sent, false);
});

test("a stopped server, or a closed gate, gets no requests at all", async () => {
  assert.equal(await new RequestGate(fakeClient(STOPPED)).open(), false);
  const gate = new RequestGate(fakeClient(RUNNING));
  assert.equal(await gate.open(), true);
  gate.close();
  assert.equal(await gate.open(), false);
});

test("closing waits until the requests already let through have reached the connection", async () => {
  const client = fakeClient(RUNNING);
  const gate = new RequestGate(client);
  let connected = false;
  // Like vscode-languageclient's sendRequest: the connection is looked up a few microtasks later.
  const answer = gated(() => gate.open())("doc", async () => {
    await Promise.resolve();
    await Promise.resolve();
    connected = true;
    return "actions";
  });
  await Promise.resolve(); // the request has passed the gate
  await gate.close();
  assert.equal(connected, true, "the stop may begin only after the request holds the connection");
  assert.equal(await answer, "actions");
});
