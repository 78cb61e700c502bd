package io.meridian.bench;

/**
 * Replaces generated sections of a hand-written Markdown document. A section is everything between
 * {@code <!-- BEGIN:name -->} and {@code <!-- END:name -->}; the prose around it is left alone. A
 * section not yet in the document is appended at its end.
 */
final class MarkdownBlocks {

    private MarkdownBlocks() {
    }

    /** Whether the document has the section {@code name}. */
    static boolean has(String document, String name) {
        return document.contains("<!-- BEGIN:" + name + " -->");
    }

    static String replace(String document, String name, String content) {
        String begin = "<!-- BEGIN:" + name + " -->";
        String end = "<!-- END:" + name + " -->";
        String body = begin + "\n" + content.strip() + "\n" + end;
        int start = document.indexOf(begin);
        if (start < 0) {
            String separator = document.isEmpty() || document.endsWith("\n\n") ? "" : document.endsWith("\n") ? "\n" : "\n\n";
            return document + separator + body + "\n";
        }
        int stop = document.indexOf(end, start);
        if (stop < 0) {
            throw new IllegalArgumentException("'" + begin + "' has no matching '" + end + "'");
        }
        return document.substring(0, start) + body + document.substring(stop + end.length());
    }
}
