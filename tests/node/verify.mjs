// Verifies Standard Webhooks deliveries with the npm reference library, independently of Longhaul's own code.
// Input (stdin): {"deliveries":[{"secret":"whsec_…","body":"…","headers":{"webhook-id":…,"webhook-timestamp":…,"webhook-signature":…}}]}
// Output (stdout): one line per delivery, "ok" or "fail: <reason>".
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
for (const d of JSON.parse(input).deliveries) {
  try {
    new Webhook(d.secret).verify(d.body, d.headers);
    console.log("ok");
  } catch (e) {
    console.log(`fail: ${e.message}`);
  }
}
