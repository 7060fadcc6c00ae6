package dev.uvgl.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Positions read from `gps.csv` (header path,lat,lon; paths relative to the csv's folder) or from
 * DenseUAV's `Dense_GPS_ALL.txt` (keyed by each line's parent folder, later lines winning, as the
 * official code's dict does).
 */
public final class GpsTable {
    private final Map<String, double[]> byKey;

    private GpsTable(Map<String, double[]> byKey) { this.byKey = byKey; }

    public double[] get(String key) { return byKey.get(key); }

    public int size() { return byKey.size(); }

    public static GpsTable readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals("path,lat,lon"))
            throw new DatasetError(csv
                    + ": first line must be the header 'path,lat,lon'; add it (paths relative to the csv's folder)");
        Map<String, double[]> m = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            int b = line.lastIndexOf(','), a = b > 0 ? line.lastIndexOf(',', b - 1) : -1;
            double[] ll = a > 0 ? parse(line.substring(a + 1, b), line.substring(b + 1)) : null;
            if (ll == null)
                throw new DatasetError(csv + " line " + (i + 1)
                        + ": expected 'path,lat,lon' with lat in [-90,90] and lon in [-180,180], got '" + line
                        + "'; fix or delete that row");
            m.put(line.substring(0, a).replace('\\', '/'), ll);
        }
        return new GpsTable(m);
    }

    public static GpsTable readDenseUav(Path txt) throws IOException {
        List<String> lines = Files.readAllLines(txt, StandardCharsets.UTF_8);
        Map<String, double[]> m = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\s+");
            double[] ll = f.length >= 3 && f[1].startsWith("E") && f[2].startsWith("N")
                    ? parse(f[2].substring(1), f[1].substring(1)) : null;
            if (ll == null)
                throw new DatasetError(txt + " line " + (i + 1) + ": expected '<path> E<lon> N<lat> ...', got '" + line
                        + "'; fix or delete that row");
            String[] parts = f[0].replace('\\', '/').split("/");
            if (parts.length < 2)
                throw new DatasetError(txt + " line " + (i + 1) + ": the path '" + f[0] + "' has no place folder");
            m.put(parts[parts.length - 2], ll);
        }
        return new GpsTable(m);
    }

    private static double[] parse(String lat, String lon) {
        try {
            double a = Double.parseDouble(lat.trim()), o = Double.parseDouble(lon.trim());
            return Math.abs(a) <= 90 && Math.abs(o) <= 180 ? new double[] {a, o} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
