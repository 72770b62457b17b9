extension ConsoleTemplates {
    static let silences = """
        {{> header}}
        {{#content}}
        <h1>Silences</h1>
        <p class="tabs" aria-label="Silence states">{{#states}}<a href="/ui/silences?state={{value}}"{{#selected}} aria-current="page"{{/selected}}>{{label}}</a> {{/states}}
        {{#canSilence}}<a id="new-silence" class="button" href="/ui/silences/new">New silence</a>{{/canSilence}}</p>
        <div class="scroll">
        <table id="silences">
        <thead><tr><th scope="col">Matchers</th><th scope="col">State</th><th scope="col">Starts</th><th scope="col">Ends</th><th scope="col">By</th><th scope="col">Comment</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
        {{#silences}}<tr class="silence" data-id="{{id}}"><td class="matchers"><code>{{matchers}}</code></td><td class="state">{{state}}</td>
        <td>{{#startsAt}}{{> time}}{{/startsAt}}</td><td>{{#endsAt}}{{> time}}{{/endsAt}}</td><td>{{createdBy}}</td><td>{{comment}}</td>
        <td>{{#canExpire}}<form class="expire-form" method="post" action="/ui/silences/{{id}}/expire">{{> csrf}}<button class="expire" type="submit" aria-label="Expire silence {{id}}">Expire</button></form>{{/canExpire}}</td></tr>
        {{/silences}}
        {{^silences}}<tr><td colspan="7" class="empty">No {{state}} silence.</td></tr>{{/silences}}
        </tbody>
        </table>
        </div>
        {{/content}}
        {{> footer}}
        """

    static let silenceForm = """
        {{> header}}
        {{#content}}
        <p><a href="/ui/silences">← Silences</a></p>
        <h1>New silence</h1>
        <form id="silence-form" method="post" action="/ui/silences" class="stack">
        {{> csrf}}
        <label for="matchers">Matchers, one per line (all must hold)</label>
        <textarea id="matchers" name="matchers" rows="4" required spellcheck="false">{{matchers}}</textarea>
        <label for="duration">Duration (e.g. 30m, 2h, 1d)</label>
        <input id="duration" name="duration" value="{{duration}}" required>
        <label for="comment">Comment: why</label>
        <textarea id="comment" name="comment" rows="2" required>{{comment}}</textarea>
        <div class="row">
        <button id="preview-silence" type="submit" formaction="/ui/silences/preview">Preview</button>
        <button id="create-silence" type="submit">Create silence</button>
        </div>
        </form>
        {{#previewed}}
        <section aria-labelledby="preview-title"><h2 id="preview-title">Firing alerts it would mute</h2>
        <p id="preview-count">{{previewCount}}</p>
        <ul id="preview">{{#preview}}<li class="preview-alert" data-fingerprint="{{fingerprint}}"><a href="/ui/alerts/{{fingerprint}}">{{name}}</a> <span class="labels">{{labelText}}</span></li>{{/preview}}</ul>
        </section>
        {{/previewed}}
        {{/content}}
        {{> footer}}
        """

    static let deliveries = """
        {{> header}}
        {{#content}}
        <h1>Deliveries</h1>
        <p class="tabs" aria-label="Delivery states">{{#states}}<a href="/ui/deliveries?state={{value}}"{{#selected}} aria-current="page"{{/selected}}>{{label}}</a> {{/states}}</p>
        <div class="scroll">
        <table id="deliveries">
        <thead><tr><th scope="col">Alert</th><th scope="col">Receiver</th><th scope="col">Status</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Created</th><th scope="col">Last error</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
        {{#deliveries}}<tr class="delivery" data-id="{{id}}"><td><a href="/ui/alerts/{{fingerprint}}">{{alertName}}</a>{{#others}} and {{others}} more{{/others}}</td>
        <td class="receiver">{{receiver}}</td><td>{{status}}</td><td class="state">{{state}}</td><td>{{attempts}}</td><td>{{#createdAt}}{{> time}}{{/createdAt}}</td>
        <td class="last-error">{{lastError}}</td>
        <td>{{#dead}}<form class="replay-form" method="post" action="/ui/deliveries/{{id}}/replay">{{> csrf}}<button class="replay" type="submit" aria-label="Replay notification {{id}}">Replay</button></form>{{/dead}}</td></tr>
        {{/deliveries}}
        {{^deliveries}}<tr><td colspan="8" class="empty">No {{state}} notification.</td></tr>{{/deliveries}}
        </tbody>
        </table>
        </div>
        {{/content}}
        {{> footer}}
        """

    static let rating = """
        {{> header}}
        {{#content}}
        <h1>Rating</h1>
        <p class="meta">Mode <strong>{{mode}}</strong>. Each line shows the factor as it stands now and, drawn left to right, the value it had in the tenant's alerts as they were rated over time (the {{sampleSize}} most recently seen alerts).</p>
        <section aria-labelledby="histogram-title"><h2 id="histogram-title">Scores of the firing alerts</h2>
        <svg id="histogram" class="histogram" viewBox="0 0 200 60" width="400" height="120" role="img" aria-label="{{histogramText}}">
        {{#histogram}}<rect class="bar" x="{{x}}" y="{{y}}" width="18" height="{{height}}"><title>{{label}}: {{count}}</title></rect>{{/histogram}}
        </svg>
        <p class="meta">{{histogramText}}</p>
        </section>
        <section aria-labelledby="sources-title"><h2 id="sources-title">Source reliability</h2>
        <div class="scroll"><table id="sources">
        <thead><tr><th scope="col">Source</th><th scope="col">Reliability now</th><th scope="col">Over time</th><th scope="col">Why</th></tr></thead>
        <tbody>{{#sources}}<tr class="source" data-source="{{name}}"><th scope="row">{{name}}</th><td class="reliability">{{value}}</td><td>{{> sparkline}}</td><td>{{detail}}</td></tr>{{/sources}}
        {{^sources}}<tr><td colspan="4" class="empty">No alert yet.</td></tr>{{/sources}}</tbody>
        </table></div>
        </section>
        <section aria-labelledby="groups-title"><h2 id="groups-title">Response history</h2>
        <div class="scroll"><table id="groups">
        <thead><tr><th scope="col">Group (alertname/service)</th><th scope="col">History now</th><th scope="col">Over time</th><th scope="col">Why</th></tr></thead>
        <tbody>{{#groups}}<tr class="group" data-group="{{name}}"><th scope="row">{{name}}</th><td class="history">{{value}}</td><td>{{> sparkline}}</td><td>{{detail}}</td></tr>{{/groups}}
        {{^groups}}<tr><td colspan="4" class="empty">No alert yet.</td></tr>{{/groups}}</tbody>
        </table></div>
        </section>
        {{/content}}
        {{> footer}}
        """

    static let sparkline = """
        <svg class="sparkline" viewBox="0 0 100 20" width="100" height="20" role="img" aria-label="{{trendText}}"><polyline points="{{points}}"></polyline></svg>
        """

    static let tenant = """
        {{> header}}
        {{#content}}
        <h1>Tenant {{name}}</h1>
        <div class="scroll">
        <table id="quotas">
        <thead><tr><th scope="col">Quota</th><th scope="col">Limit</th><th scope="col">Now</th><th scope="col">Use</th></tr></thead>
        <tbody>{{#quotas}}<tr class="quota" data-quota="{{name}}"><th scope="row">{{name}}</th><td class="limit">{{limit}}</td><td class="used">{{used}}</td>
        <td>{{#share}}<meter min="0" max="100" value="{{share}}" aria-label="{{name}}: {{share}} % used">{{share}} %</meter>{{/share}}</td></tr>{{/quotas}}</tbody>
        </table>
        </div>
        <h2>Store</h2>
        <ul>{{#store}}<li>{{.}}</li>{{/store}}</ul>
        {{/content}}
        {{> footer}}
        """
}
