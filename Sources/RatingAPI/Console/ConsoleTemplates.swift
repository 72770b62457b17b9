/// The console's Mustache templates, compiled into the binary. `{{x}}` escapes HTML; the
/// templates never use `{{{x}}}` except for fragments rendered by these same templates.
enum ConsoleTemplates {
    static let all: [String: String] = [
        "header": header, "footer": footer, "csrf": csrf, "error": errorPage, "sign-in": signIn,
        "alerts": alerts, "alert-rows": alertRows, "alert": alert,
        "time": time, "silences": silences, "silence-form": silenceForm, "deliveries": deliveries, "rating": rating, "sparkline": sparkline, "tenant": tenant,
    ]

    static let header = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · alertd</title>
        <link rel="stylesheet" href="/ui/assets/console.css">
        <script src="/ui/assets/console.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
        <span class="brand">alertd</span>
        {{#chrome}}
        <nav id="nav" aria-label="Console sections">
        <a id="nav-alerts" href="/ui/alerts"{{#navAlerts}} aria-current="page"{{/navAlerts}}>Alerts</a>
        <a id="nav-silences" href="/ui/silences"{{#navSilences}} aria-current="page"{{/navSilences}}>Silences</a>
        {{#canAdmin}}<a id="nav-deliveries" href="/ui/deliveries"{{#navDeliveries}} aria-current="page"{{/navDeliveries}}>Deliveries</a>{{/canAdmin}}
        <a id="nav-rating" href="/ui/rating"{{#navRating}} aria-current="page"{{/navRating}}>Rating</a>
        {{#canAdmin}}<a id="nav-tenant" href="/ui/tenant"{{#navTenant}} aria-current="page"{{/navTenant}}>Tenant</a>{{/canAdmin}}
        </nav>
        <div class="who">
        <span>tenant <strong id="tenant-name">{{tenant}}</strong></span>
        <span class="subject" title="scopes: {{scopes}}">{{subject}}</span>
        <form id="sign-out-form" method="post" action="/ui/sign-out">{{> csrf}}<button id="sign-out" type="submit">Sign out</button></form>
        </div>
        {{/chrome}}
        </header>
        <main id="main" tabindex="-1">
        {{#flash}}<p id="flash" class="flash" role="status">{{flash}}</p>{{/flash}}
        {{#error}}<p id="error" class="error" role="alert">{{error}}</p>{{/error}}

        """

    static let footer = """
        </main>
        </body>
        </html>

        """

    static let csrf = #"<input type="hidden" name="csrf" value="{{csrf}}">"#

    static let errorPage = """
        {{> header}}
        <h1>{{title}}</h1>
        {{#content}}<p><a href="{{back}}">{{backText}}</a></p>{{/content}}
        {{> footer}}
        """

    static let signIn = """
        {{> header}}
        {{#content}}
        <h1>Sign in</h1>
        <p>Paste a bearer token of your tenant. The console keeps it only long enough to check it:
        your browser gets a session cookie, which ends when you sign out or after an hour without use.</p>
        <form id="sign-in-form" method="post" action="/ui/sign-in" class="stack">
        <input type="hidden" name="csrf" value="{{signInCSRF}}">
        <label for="token">Token</label>
        <textarea id="token" name="token" rows="5" required autocomplete="off" spellcheck="false"></textarea>
        <button id="sign-in" type="submit">Sign in</button>
        </form>
        {{#hasDevTenants}}
        <h2>Development</h2>
        <p>This alertd runs with <code>--dev</code>: sign in as a demo tenant with every scope.</p>
        <form id="dev-sign-in-form" method="post" action="/ui/sign-in/dev" class="row">
        <input type="hidden" name="csrf" value="{{signInCSRF}}">
        <label for="dev-tenant">Tenant</label>
        <select id="dev-tenant" name="tenant">{{#devTenants}}<option value="{{.}}">{{.}}</option>{{/devTenants}}</select>
        <button id="dev-sign-in" type="submit">Sign in as this tenant</button>
        </form>
        {{/hasDevTenants}}
        {{/content}}
        {{> footer}}
        """
}
