package dev.kumo.local.pki;

import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authn.StaticTokenAuthenticator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCredentialsTest {
    @TempDir
    Path pki;

    @Test
    void theAdminAndEachComponentGetTheirOwnIdentityThatTheApiServerAccepts() throws Exception {
        LocalCredentials credentials = LocalCredentials.loadOrCreate(pki);
        StaticTokenAuthenticator authenticator = StaticTokenAuthenticator.fromFile(credentials.tokenFile());

        UserInfo admin = authenticator.authenticate(credentials.adminToken()).orElseThrow();
        assertThat(admin.name()).isEqualTo("kumo-admin");
        assertThat(admin.groups()).containsExactly("system:masters");
        for (var component : credentials.componentTokens().entrySet()) {
            UserInfo user = authenticator.authenticate(component.getValue()).orElseThrow();
            assertThat(user.name()).isEqualTo(component.getKey().user());
            assertThat(user.groups()).doesNotContain("system:masters");
            // The file a loop function reads its token from (KUMO_API_TOKEN_FILE) holds that same token.
            assertThat(Files.readString(credentials.componentTokenFile(component.getKey())).strip())
                    .isEqualTo(component.getValue());
        }
        assertThat(credentials.componentTokens().values()).doesNotHaveDuplicates()
                .doesNotContain(credentials.adminToken());
        assertThat(authenticator.authenticate("not-a-token")).isEmpty();
    }

    @Test
    void tokensSurviveARestartAndOnlyTheOwnerCanReadThem() throws Exception {
        LocalCredentials first = LocalCredentials.loadOrCreate(pki);
        LocalCredentials second = LocalCredentials.loadOrCreate(pki);

        assertThat(second.adminToken()).isEqualTo(first.adminToken());
        assertThat(second.componentTokens()).isEqualTo(first.componentTokens());
        try (var files = Files.list(pki)) {
            files.forEach(file -> {
                try {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                            .as(file.toString()).isEqualTo("rw-------");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
