// jsonexport ships no types; react-admin's own exporter imports the same browser build.
declare module 'jsonexport/dist' {
  interface Options {
    headers?: string[];
    rename?: string[];
    rowDelimiter?: string;
  }
  function jsonExport(
    data: object[],
    options: Options,
    callback: (error: Error | null, csv: string) => void,
  ): void;
  export default jsonExport;
}
