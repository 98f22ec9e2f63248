const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');

if (isMainThread) {
  const jobs = [];
  for (let n = 1; n <= 10; n++) {
    jobs.push(new Promise((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: n });
      worker.on('message', resolve);
      worker.on('error', reject);
    }));
  }
  Promise.all(jobs).then((values) => {
    values.forEach((value, i) => console.log(`${i + 1}! = ${value}`));
  });
} else {
  let f = 1n;
  for (let i = 2n; i <= BigInt(workerData); i++) f *= i;
  parentPort.postMessage(f.toString());
}
