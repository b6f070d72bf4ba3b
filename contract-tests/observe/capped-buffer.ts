/** Keeps the first `cap` bytes of a stream and notes whether more came: what is judged of a body. */
export class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  cut = false;

  constructor(private readonly cap: number) {}

  add(chunk: Buffer): void {
    if (this.cut) return;
    if (this.size + chunk.length > this.cap) {
      this.cut = true;
      this.chunks.length = 0; // a body cut short is not judged: keep nothing of it
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
