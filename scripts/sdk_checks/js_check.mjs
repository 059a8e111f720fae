// Run the npm @runware/sdk-js SDK (1.3.x) unmodified against a running fake.
// Usage: node js_check.mjs WS_URL IMAGE_URL VIDEO_URL [BAD_KEY_WS_URL]
// Prints one JSON line: {"ok": bool, "videoURL": ..., "badKeyError": ...}.
import { RunwareServer } from "@runware/sdk-js";

const [url, image, video, badUrl] = process.argv.slice(2);

async function animate(apiKey, target) {
  const runware = new RunwareServer({ apiKey, url: target, shouldReconnect: false });
  await runware.ensureConnection();
  try {
    return await runware.videoInference({
      model: "prunaai:p-video@animate",
      inputs: { referenceImages: [image], referenceVideos: [video] },
      resolution: "720p",
      numberResults: 1,
    });
  } finally {
    await runware.disconnect();
  }
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms))]);
}

const out = {};
const results = await withTimeout(animate("any-key", url), 120000);
out.results = results.length;
out.videoURL = results[0]?.videoURL ?? null;
if (badUrl) {
  try {
    await withTimeout(animate("wrong-key", badUrl), 60000);
    out.badKeyError = null;
  } catch (error) {
    out.badKeyError = String(error?.message ?? JSON.stringify(error));
  }
}
out.ok = Boolean(out.videoURL);
console.log(JSON.stringify(out));
process.exit(0);
