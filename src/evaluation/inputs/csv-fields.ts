/**
 * Splits one CSV record into its fields (RFC 4180): fields are separated by commas; a field in double
 * quotes may hold commas, and `""` inside it stands for one quote. A record is one line: quoted line
 * breaks are not supported, since the logged-feedback readers stream line by line.
 * @returns the fields, or a string describing the first syntax error.
 */
export function splitCsvLine(line: string): string[] | string {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (line[position] === '"') {
      let value = '';
      let cursor = position + 1;
      for (;;) {
        const quote = line.indexOf('"', cursor);
        if (quote < 0) return `unterminated quoted field ${fields.length + 1}`;
        value += line.slice(cursor, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        cursor = quote + 1;
        break;
      }
      fields.push(value);
      if (cursor === line.length) return fields;
      if (line[cursor] !== ',') return `unexpected character after the closing quote of field ${fields.length}`;
      position = cursor + 1;
    } else {
      const comma = line.indexOf(',', position);
      if (comma < 0) {
        fields.push(line.slice(position));
        return fields;
      }
      fields.push(line.slice(position, comma));
      position = comma + 1;
    }
  }
}

/** Quotes a field when it holds a comma, a quote or a line break (RFC 4180); the inverse of `splitCsvLine`. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
