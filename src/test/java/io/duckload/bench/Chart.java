package io.duckload.bench;

import java.util.List;

/** A horizontal bar chart as SVG, drawn without any library. */
final class Chart {

    private Chart() {
    }

    static String bars(String title, List<String> labels, List<Double> values) {
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int width = 760;
        int barArea = 380;
        int rowHeight = 34;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n", width, 50 + rowHeight * labels.size()));
        svg.append(String.format("<text x=\"10\" y=\"22\" font-weight=\"bold\">%s</text>%n", title));
        for (int i = 0; i < labels.size(); i++) {
            int y = 40 + i * rowHeight;
            int length = (int) Math.round(values.get(i) / max * barArea);
            svg.append(String.format("<text x=\"10\" y=\"%d\">%s</text>%n", y + 17, labels.get(i)));
            svg.append(String.format("<rect x=\"270\" y=\"%d\" width=\"%d\" height=\"24\" fill=\"%s\"/>%n", y,
                    Math.max(length, 1), labels.get(i).startsWith("direct") ? "#8c8c8c" : "#2f7ed8"));
            svg.append(String.format("<text x=\"%d\" y=\"%d\">%.0f ms</text>%n", 276 + length, y + 17,
                    values.get(i)));
        }
        return svg.append("</svg>\n").toString();
    }
}
