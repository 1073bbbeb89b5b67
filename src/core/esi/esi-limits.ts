/**
 * The size, count and depth caps of ESI assembly in one place (the README's "ESI" section lists them), so the tokenizer,
 * the assembler and the fetcher agree and tests can refer to the same numbers.
 */

/** Template bytes processed per page; past this the page ends gracefully (bounded memory and CPU per page). */
export const MAX_TEMPLATE_BYTES = 2 * 1024 * 1024;

/** Bytes of one fragment body after decoding; also the stop for decompression bombs. */
export const MAX_FRAGMENT_BYTES = 256 * 1024;

/**
 * Bytes one page may insert into its template in all (included bodies, `<esi:vars>` values), counted
 * as each is inserted: 24 distinct fragments (the fetch cap) at the fragment cap. Includes of one URL
 * share a fetch but each inserts its body, so without it a 37 KB template of 1,000 includes of one
 * 256 KiB fragment made a 250 MiB page, and in the Wasm guest 274 MB of memory (over Compute's 128 MB
 * heap) and 350 ms of CPU. Past it an include fails as `skipped`, values are left out (insert-budget.ts).
 */
export const MAX_INSERTED_BYTES = 6 * 1024 * 1024;

/**
 * A page's output: the template cap plus the inserted cap, 8 MiB, the largest page of distinct
 * content the other caps allow (2 MiB template, 24 × 256 KiB), which the CPU budget already covers.
 * The `$(DECISION)` tokens come on top (signed once the page has settled; at most
 * MAX_VARIABLE_VALUES of them, ~120 bytes each).
 */
export const MAX_PAGE_OUTPUT_BYTES = MAX_TEMPLATE_BYTES + MAX_INSERTED_BYTES;

/**
 * Variables substituted in `<esi:vars>` per page, and the bytes of their values (escaped); past
 * either (or the inserted-bytes cap) the rest of a vars text passes through unsubstituted, as text
 * past the element cap does. References are not elements, so a 2 MiB vars body holds 100,000 of
 * them, and with only the inserted-bytes cap 6 MiB of escaped `<` (786 values of a 2,000-character
 * query parameter) cost the guest 1.2 s of interpreted escaping. Real pages substitute tens of
 * short values.
 */
export const MAX_VARIABLE_VALUES = 1000;
export const MAX_VARIABLE_BYTES = 64 * 1024;

/** Bytes of one ESI tag from `<esi:` to `>`; a longer "tag" is passed through as text. */
export const MAX_TAG_BYTES = 8 * 1024;

/**
 * ESI elements (opening tags) processed per page; later ones are dropped and counted, so a hostile
 * template costs bounded work. Real pages use tens.
 */
export const MAX_ESI_ELEMENTS = 1000;

/** Open ESI blocks (try, choose, vars, …) at once; deeper block tags are dropped. */
export const MAX_BLOCK_DEPTH = 32;

/** Characters of one `test` expression. */
export const MAX_EXPRESSION_LENGTH = 1024;

/** Nesting of parentheses and `!` inside one `test` expression. */
export const MAX_EXPRESSION_DEPTH = 32;

/** Characters of a variable key such as the `exp` of `$(VARIANT{exp})`. */
export const MAX_VARIABLE_KEY_LENGTH = 64;

/**
 * Include entries kept in the assembly report. A decision event holds far fewer (its line is
 * capped at 4 KiB), and an unbounded list let a 10,000-include template cost seconds of CPU in
 * the event serializer (test/security/include-bombs.e2e.test.ts).
 */
export const MAX_REPORTED_INCLUDES = 64;
