package dev.kumo.e2e.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table as {@code kubectl get} prints it: a header line, then one line per object, cells aligned under their
 * headers. Cells are cut at the columns' start positions, so a cell may contain single spaces.
 */
public record PrintedTable(List<String> headers, List<Map<String, String>> rows) {

    public static PrintedTable parse(String output) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new AssertionError("kubectl printed no table");
        }
        String header = lines.get(0);
        List<Integer> starts = columnStarts(header);
        List<String> headers = cells(header, starts);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line, starts);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                row.put(headers.get(i), cells.get(i));
            }
            rows.add(row);
        }
        return new PrintedTable(headers, rows);
    }

    /** The row whose NAME cell is {@code name}. */
    public Map<String, String> row(String name) {
        return rows.stream().filter(row -> name.equals(row.get("NAME"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row named " + name + " in " + this));
    }

    /** The cells of one column, top to bottom. */
    public List<String> column(String header) {
        if (!headers.contains(header)) {
            throw new AssertionError("no column " + header + " in " + headers);
        }
        return rows.stream().map(row -> row.get(header)).toList();
    }

    /** A column starts at the first character of the line and after every run of two or more spaces. */
    private static List<Integer> columnStarts(String header) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < header.length(); i++) {
            boolean afterGap = i == 0 || (i >= 2 && header.charAt(i - 1) == ' ' && header.charAt(i - 2) == ' ');
            if (header.charAt(i) != ' ' && afterGap) {
                starts.add(i);
            }
        }
        return starts;
    }

    private static List<String> cells(String line, List<Integer> starts) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int from = Math.min(starts.get(i), line.length());
            int to = i + 1 < starts.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
            cells.add(line.substring(from, to).trim());
        }
        return cells;
    }
}
