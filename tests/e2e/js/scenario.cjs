// A care conversation driven by the official Socket.IO JavaScript client (socket.io-client from
// the front-end's own node_modules), using nothing but docs/protocol.md.
// Usage: node scenario.cjs <server-url> <csr-token>; prints one JSON line with what it saw.
const path = require("path");
const { io } = require(path.join(__dirname, "../../../web/frontend/node_modules/socket.io-client"));

const [url, token] = process.argv.slice(2);
const seen = { shopper: [], csr: [] };

function connect(ns, auth, who) {
  const socket = io(url + ns, { auth, transports: ["websocket"], reconnection: false });
  socket.onAny((event, data) => seen[who].push({ event, data }));
  return socket;
}
const once = (socket, event, pred = () => true, ms = 5000) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event}`)), ms);
    const handler = (data) => {
      if (pred(data)) { clearTimeout(timer); socket.off(event, handler); resolve(data); }
    };
    socket.on(event, handler);
  });
const call = (socket, event, payload) => socket.timeout(5000).emitWithAck(event, payload);

(async () => {
  const result = {};
  const csr = connect("/agent", { token }, "csr");
  await once(csr, "session");
  result.watch = await call(csr, "queue:watch", { queues: ["general"] });

  let shopper = connect("/customer", {}, "shopper");
  const session = await once(shopper, "session");
  // Listen before acting: the server may answer before the acknowledgement arrives.
  const request = once(csr, "queue:update", (d) => d.waiting.length > 0);
  const started = await call(shopper, "chat:start", { topic: "Sizing", name: "Jess", text: "Is M big?" });
  result.started = started;
  const cid = started.conversation.id;
  result.request = await request;
  const active = once(shopper, "chat:status", (d) => d.status === "active");
  result.accept = await call(csr, "request:accept", { conversation_id: cid });
  result.status = await active;
  const heard = once(shopper, "chat:message", (d) => d.client_id === "js-1");
  await call(csr, "chat:send", { conversation_id: cid, client_id: "js-1", text: "It runs large." });
  result.heard = await heard;
  const mine = await call(shopper, "chat:send", { conversation_id: cid, client_id: "js-2", text: "Thanks" });
  result.resend = await call(shopper, "chat:send", { conversation_id: cid, client_id: "js-2", text: "Thanks" });
  result.mine = mine;
  shopper.disconnect();

  await call(csr, "chat:send", { conversation_id: cid, client_id: "js-3", text: "While you were away" });
  shopper = connect("/customer", { visitor_token: session.visitor_token }, "shopper");
  result.resumed = await once(shopper, "session");
  result.sync = await call(shopper, "chat:sync", { conversation_id: cid, after_seq: mine.message.seq });
  result.bad = await call(shopper, "chat:send", { conversation_id: cid, text: 42 });
  result.privateSync = await call(shopper, "chat:sync", { conversation_id: cid, after_seq: 0, thread: "private" });
  const closed = once(shopper, "chat:status", (d) => d.status === "closed");
  result.close = await call(csr, "chat:close", { conversation_id: cid });
  result.closed = await closed;

  const refused = io(url + "/agent", { auth: { token: "forged" }, transports: ["websocket"], reconnection: false });
  result.refused = await new Promise((resolve) =>
    refused.on("connect_error", (err) => resolve({ message: err.message, data: err.data })),
  );
  refused.close();
  shopper.disconnect();
  csr.disconnect();
  console.log(JSON.stringify(result));
  process.exit(0);
})().catch((err) => {
  console.error(err.stack || String(err));
  console.error(JSON.stringify(seen).slice(0, 4000));
  process.exit(1);
});
