export interface Answer {
  status: number;
}
