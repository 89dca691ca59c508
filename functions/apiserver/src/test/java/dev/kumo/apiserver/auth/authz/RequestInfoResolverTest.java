package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.http.ApiRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The cases of Kubernetes' own RequestInfoFactory tests that apply to the resources kumo serves. */
class RequestInfoResolverTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            GET    | /api/v1/namespaces                              | -                 | list             | ''    | v1 | ''      | namespaces  | ''          | ''
            GET    | /api/v1/namespaces/other                        | -                 | get              | ''    | v1 | other   | namespaces  | other       | ''
            GET    | /api/v1/namespaces/other/status                 | -                 | get              | ''    | v1 | other   | namespaces  | other       | status
            PUT    | /api/v1/namespaces/other/finalize               | -                 | update           | ''    | v1 | other   | namespaces  | other       | finalize
            GET    | /api/v1/namespaces/other/pods                   | -                 | list             | ''    | v1 | other   | pods        | ''          | ''
            GET    | /api/v1/namespaces/other/pods                   | watch=true        | watch            | ''    | v1 | other   | pods        | ''          | ''
            GET    | /api/v1/watch/namespaces/other/pods             | -                 | watch            | ''    | v1 | other   | pods        | ''          | ''
            GET    | /api/v1/namespaces/other/pods/foo               | -                 | get              | ''    | v1 | other   | pods        | foo         | ''
            GET    | /api/v1/pods                                    | -                 | list             | ''    | v1 | ''      | pods        | ''          | ''
            POST   | /api/v1/namespaces/other/pods                   | -                 | create           | ''    | v1 | other   | pods        | ''          | ''
            POST   | /api/v1/namespaces/other/pods/foo/binding       | -                 | create           | ''    | v1 | other   | pods        | foo         | binding
            PATCH  | /api/v1/namespaces/other/pods/foo/status        | -                 | patch            | ''    | v1 | other   | pods        | foo         | status
            DELETE | /api/v1/namespaces/other/pods/foo               | -                 | delete           | ''    | v1 | other   | pods        | foo         | ''
            DELETE | /api/v1/namespaces/other/pods                   | -                 | deletecollection | ''    | v1 | other   | pods        | ''          | ''
            GET    | /apis/apps/v1/namespaces/other/deployments/d/scale | -              | get              | apps  | v1 | other   | deployments | d           | scale
            PUT    | /api/v1/nodes/n1/status                         | -                 | update           | ''    | v1 | ''      | nodes       | n1          | status
            GET    | /api/v1/nodes/n1/proxy/stats/summary            | -                 | get              | ''    | v1 | ''      | nodes       | n1          | proxy
            GET    | /api/v1/namespaces/other/pods                   | fieldSelector=metadata.name=foo | list | '' | v1 | other | pods | foo | ''
            GET    | /api/v1/namespaces/other/pods                   | fieldSelector=metadata.name!=foo | list | '' | v1 | other | pods | '' | ''
            """)
    void resourceRequests(String method, String path, String query, String verb, String group, String version,
                          String namespace, String resource, String name, String subresource) {
        RequestInfo info = RequestInfoResolver.resolve(request(method, path, query));

        assertThat(info.resourceRequest()).isTrue();
        assertThat(List.of(info.verb(), info.apiGroup(), info.apiVersion(), info.namespace(), info.resource(),
                info.name(), info.subresource()))
                .containsExactly(verb, group, version, namespace, resource, name, subresource);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /healthz        | get
            GET  | /version        | get
            GET  | /api            | get
            GET  | /api/v1         | get
            GET  | /apis/apps/v1   | get
            GET  | /openapi/v2     | get
            POST | /logs           | post
            """)
    void nonResourceRequests(String method, String path, String verb) {
        RequestInfo info = RequestInfoResolver.resolve(request(method, path, null));

        assertThat(info.resourceRequest()).isFalse();
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.path()).isEqualTo(path);
    }

    private static ApiRequest request(String method, String path, String query) {
        Map<String, List<String>> parameters = new HashMap<>();
        if (query != null) {
            int eq = query.indexOf('=');
            parameters.put(query.substring(0, eq), List.of(query.substring(eq + 1)));
        }
        return new ApiRequest(method, path, parameters, Map.of(), null);
    }
}
