package dev.uvgl.model;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the committed fixtures (made by src/test/python/make_convnext_fixtures.py). */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String name) {
        try {
            var url = Fixtures.class.getResource("/fixtures/" + name);
            if (url == null)
                throw new IllegalStateException("missing fixture " + name
                        + "; run src/test/python/make_convnext_fixtures.py");
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
