/**
 * Types of Vite's asset imports used by the demo (`import url from "x.wasm?url"`), so tsc
 * checks the demo without Vite's client types. Imports: nothing.
 */
declare module "*?url" {
  /** The asset's URL in the built page. */
  const url: string;
  export default url;
}
