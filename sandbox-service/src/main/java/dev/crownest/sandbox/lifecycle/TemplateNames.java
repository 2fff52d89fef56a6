package dev.crownest.sandbox.lifecycle;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The template a sandbox or snapshot view shows: a custom template by its tenant's name for it, never
 * by the {@code tpl-…} id its node starts (kept in the read model, since the fork needs it). A deleted
 * template keeps its row in {@code template_view}, so a sandbox of it still shows the name.
 */
final class TemplateNames {
    /** A select-list item over {@code table}'s {@code template} column, read by {@link #shown}. */
    static String column(String table) {
        return "(SELECT t.name FROM template_view t WHERE t.id = " + table + ".template) AS template_name";
    }

    private TemplateNames() {}

    /** The custom template's name, or the platform template's as it is. */
    static String shown(ResultSet rs) throws SQLException {
        String name = rs.getString("template_name");
        return name != null ? name : rs.getString("template");
    }
}
