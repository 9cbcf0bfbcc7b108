// Helper for docker/verify.sh, run as a single-file Java program with the
// DuckDB JDBC jar on the class path:
//   java -cp duckdb_jdbc.jar docker/verify/DuckTool.java gen   <out.parquet> <YYYY-MM> <rows>
//   java -cp duckdb_jdbc.jar docker/verify/DuckTool.java query <file.duckdb> <sql returning one value>
// `gen` writes a synthetic NYC-taxi-like month (yellow_tripdata columns, all
// pickups inside the month); `query` opens a DuckDB file read-only and prints
// the first column of the first row.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.YearMonth;

public class DuckTool {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: gen <out.parquet> <YYYY-MM> <rows> | query <file.duckdb> <sql>");
            System.exit(2);
        }
        switch (args[0]) {
            case "gen" -> gen(args[1], YearMonth.parse(args[2]), Long.parseLong(args[3]));
            case "query" -> query(args[1], args[2]);
            default -> { System.err.println("unknown command " + args[0]); System.exit(2); }
        }
    }

    static void gen(String out, YearMonth month, long rows) throws Exception {
        long seconds = month.lengthOfMonth() * 86_400L - 7_200L; // leave room for the trip
        String start = month.atDay(1) + " 00:00:00";
        String sql = """
            COPY (
              SELECT
                CAST(1 + i %% 2 AS INTEGER)                                          AS VendorID,
                TIMESTAMP '%1$s' + to_seconds((i * 7919) %% %2$d)                     AS tpep_pickup_datetime,
                TIMESTAMP '%1$s' + to_seconds((i * 7919) %% %2$d + 300 + i %% 3600)   AS tpep_dropoff_datetime,
                CAST(1 + i %% 4 AS DOUBLE)                                           AS passenger_count,
                round(0.5 + (i %% 200) / 10.0, 2)                                   AS trip_distance,
                CAST(1 + i %% 2 AS DOUBLE)                                           AS RatecodeID,
                CAST(1 + i %% 265 AS INTEGER)                                        AS PULocationID,
                CAST(1 + (i * 31) %% 265 AS INTEGER)                                 AS DOLocationID,
                CAST(1 + i %% 4 AS BIGINT)                                           AS payment_type,
                round(3.0 + (i %% 5000) / 100.0, 2)                                 AS total_amount
              FROM range(%3$d) t(i)
            ) TO '%4$s' (FORMAT parquet)
            """.formatted(start, seconds, rows, out.replace("'", "''"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
        System.out.println("wrote " + rows + " rows for " + month + " to " + out);
    }

    static void query(String db, String sql) throws Exception {
        java.util.Properties p = new java.util.Properties();
        boolean inMemory = db.isEmpty() || db.equals(":memory:");
        if (!inMemory) {
            p.setProperty("duckdb.read_only", "true");
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + (inMemory ? "" : db), p);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            System.out.println(rs.next() ? rs.getString(1) : "");
        }
    }
}
