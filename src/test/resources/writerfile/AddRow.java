import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a DuckDB file from a process of its own, once, and adds a row to its table {@code t} (single-file program for
 * WriterFileTest). {@code <file> <id>}: prints {@code added <id>}, or {@code refused: <error>} and exits with 3.
 */
public class AddRow {

    public static void main(String[] args) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0], settings);
                var statement = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
            statement.setLong(1, Long.parseLong(args[1]));
            statement.executeUpdate();
            System.out.println("added " + args[1]);
        } catch (SQLException e) {
            System.out.println("refused: " + e.getMessage().lines().findFirst().orElse(""));
            System.exit(3);
        }
    }
}
