// The Careline agent console: sign-in, watched queues, open conversations, the private thread,
// colleagues and direct messages. Every piece of text from the wire is set as text.
//
// console.ts ties it together; state.ts holds the data, connection.ts the server link, and the
// render/ modules draw each region of the page.

import "./console.css";
import { Console } from "./console";

const root = document.getElementById("app");
if (root) new Console(root);
