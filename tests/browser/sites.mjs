// The sites run.sh built for the tests.

/** The site built by run.sh for base URL "/" and the one for /interviews/. */
export const SITE = process.env.VERBATIM_SITE;
export const SUBPATH_SITE = process.env.VERBATIM_SUBPATH_SITE;
if (!SITE || !SUBPATH_SITE) {
  throw new Error("run the browser tests with tests/browser/run.sh, which builds the sites");
}

/** The languages fixture (tests/fixtures/languages/): German, Chinese, Arabic. */
export const LANGUAGES_SITE = process.env.VERBATIM_LANGUAGES_SITE;
if (!LANGUAGES_SITE) throw new Error("run the browser tests with tests/browser/run.sh, which builds the languages site");

/** The recorded fixture (tests/fixtures/recorded/ with a tone from sox). */
export const RECORDED_SITE = process.env.VERBATIM_RECORDED_SITE;
if (!RECORDED_SITE) throw new Error("run the browser tests with tests/browser/run.sh, which builds the recorded site");
