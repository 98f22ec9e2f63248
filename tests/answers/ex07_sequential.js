// Factorials of 1 to 10, one after another on the main thread.
let f = 1n;
for (let n = 1n; n <= 10n; n++) {
  f *= n;
  console.log(`factorial(${n}) = ${f}`);
}
