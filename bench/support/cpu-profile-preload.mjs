// Preloaded with NODE_OPTIONS="--import <this file>" by `npm run bench -- --profile` (NODE_OPTIONS does not allow
// --cpu-prof): samples this process's CPU from start to exit and writes BENCH_CPU_PROF_DIR/CPU.<pid>.cpuprofile.
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // An in-thread session answers synchronously, so this completes inside the 'exit' handler.
    session.post("Profiler.stop", (error, result) => {
      if (!error && result?.profile) fs.writeFileSync(path.join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
}
