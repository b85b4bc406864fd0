package dev.dumpflow.functions;

import static io.restassured.RestAssured.given;

/** One read of the running application's {@code /q/metrics}, as Prometheus scrapes it. */
public record ScrapedMetrics(String text) {

    /** Reads {@code /q/metrics} of the application under test. */
    public static ScrapedMetrics scrape() {
        return new ScrapedMetrics(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /**
     * The value of one sample, for example {@code dumpflow_archives_total{outcome="stored"}}; 0
     * when it is not there yet (a labelled counter appears with its first increment).
     */
    public double value(String sample) {
        return text.lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
                .findFirst()
                .orElse(0);
    }
}
