/**
 * A read shared by the callers that arrive while the previous one is in flight. A caller joins the next
 * read, never one already sent, so it sees everything committed before it asked (as a read of its own
 * would); the callers of one round trip's time share the next one, and an idle caller reads at once.
 * `read` gets the arguments of every caller of its batch (e.g. to read the union of their SKUs).
 */
export function nextRead<A, T>(read: (args: A[]) => Promise<T>): (arg: A) => Promise<T> {
  let busy = false;
  let next: { args: A[]; promise: Promise<T>; start(): void } | undefined;
  const send = (): void => {
    if (busy || !next) return;
    const batch = next;
    next = undefined;
    busy = true;
    batch.start();
  };
  return (arg) => {
    if (!next) {
      const args: A[] = [];
      let start!: () => void;
      const promise = new Promise<T>((resolve, reject) => {
        start = () => {
          Promise.resolve(args)
            .then(read)
            .then(resolve, reject)
            .finally(() => {
              busy = false;
              send();
            });
        };
      });
      next = { args, promise, start };
    }
    next.args.push(arg);
    const { promise } = next;
    send();
    return promise;
  };
}
