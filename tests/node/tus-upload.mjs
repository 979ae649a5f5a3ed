// Uploads a file with the real tus client (npm tus-js-client 4.3.1, run by Node 20), independently of Longhaul's code.
// Usage: node tus-upload.mjs <endpoint> <file> <url-file> [api-key]
// Resumes the upload whose URL <url-file> holds when it exists; otherwise creates one and writes its URL there as soon
// as the server answered. Prints "url <url>" once, "progress <sent> <total>" as bytes go out, "checksum <sha1>" per
// PATCH (checksum extension, below), "done <url>" at the end.
import crypto from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";
import { DefaultHttpStack, Upload } from "tus-js-client";

// The tus checksum extension, which tus-js-client does not implement: every PATCH carries `Upload-Checksum: sha1
// <base64>` of its body (the server refuses a body that does not match with 460), and prints "checksum <base64>".
class ChecksumHttpStack {
  constructor() {
    this.inner = new DefaultHttpStack();
  }

  getName() {
    return "ChecksumHttpStack";
  }

  createRequest(method, url) {
    const request = this.inner.createRequest(method, url);
    const send = request.send.bind(request);
    request.send = async (body = null) => {
      if (method !== "PATCH" || body === null) return send(body);
      const bytes = body instanceof Readable ? Buffer.concat(await body.toArray()) : Buffer.from(body);
      const sum = crypto.createHash("sha1").update(bytes).digest("base64");
      request.setHeader("Upload-Checksum", `sha1 ${sum}`);
      console.log(`checksum ${sum}`);
      return send(bytes);
    };
    return request;
  }
}

const [endpoint, file, urlFile, apiKey] = process.argv.slice(2);
const size = fs.statSync(file).size;
const previous = fs.existsSync(urlFile) ? fs.readFileSync(urlFile, "utf8").trim() : null;
let announced = false;

const upload = new Upload(fs.createReadStream(file), {
  endpoint,
  httpStack: new ChecksumHttpStack(),
  uploadUrl: previous,
  uploadSize: size,
  chunkSize: 8 * 1024 * 1024,
  retryDelays: [0, 500, 1000],
  headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
  metadata: { filename: file.split("/").pop() },
  onUploadUrlAvailable() {
    if (announced) return;
    announced = true;
    if (!previous) fs.writeFileSync(urlFile, upload.url);
    console.log(`url ${upload.url}`);
  },
  onProgress(sent, total) {
    console.log(`progress ${sent} ${total}`);
  },
  onSuccess() {
    console.log(`done ${upload.url}`);
  },
  onError(error) {
    console.error(`error ${error}`);
    process.exit(1);
  },
});
upload.start();
