<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AlertsList</name>
    <message>
        <location filename="../../vidstream_desktop/alerts.py" line="75"/>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/alerts.py" line="77"/>
        <source>No alerts</source>
        <translation>Nenhum alerta</translation>
    </message>
</context>
<context>
    <name>BookmarkControls</name>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="209"/>
        <source>Not searched: {0}</source>
        <translation>Busca não feita: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="231"/>
        <source>No camera on the wall to bookmark</source>
        <translation>Nenhuma câmera no mural para marcar</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="236"/>
        <source>The wall&apos;s %n camera(s): {0}</source>
        <translation>
            <numerusform>A %n câmera do mural: {0}</numerusform>
            <numerusform>As %n câmeras do mural: {0}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="248"/>
        <source>Not bookmarked: {0}</source>
        <translation>Não marcado: {0}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="252"/>
        <source>Bookmarked “{0}” on %n camera(s)</source>
        <translation>
            <numerusform>“{0}” marcado em %n câmera</numerusform>
            <numerusform>“{0}” marcado em %n câmeras</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="262"/>
        <source>Not removed: {0}</source>
        <translation>Não removido: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="266"/>
        <source>Removed “{0}”</source>
        <translation>“{0}” removido</translation>
    </message>
</context>
<context>
    <name>BookmarkDialog</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="264"/>
        <source>Bookmark</source>
        <translation>Marcador</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="266"/>
        <source>e.g. Forklift at the loading dock</source>
        <translation>ex.: Empilhadeira na doca de carga</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="268"/>
        <source>What happened, case number, who asked…</source>
        <translation>O que aconteceu, número do caso, quem pediu…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="271"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="278"/>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="279"/>
        <source>To</source>
        <translation>Até</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="280"/>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
</context>
<context>
    <name>BookmarksPanel</name>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="63"/>
        <source>Search names and notes</source>
        <translation>Buscar em nomes e notas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="71"/>
        <source>Play</source>
        <translation>Reproduzir</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="72"/>
        <source>Play the first camera of the bookmark from its start</source>
        <translation>Reproduzir a primeira câmera do marcador desde o início</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="73"/>
        <source>Remove…</source>
        <translation>Remover…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="74"/>
        <source>Remove the bookmark: retention may then delete its footage</source>
        <translation>Remover o marcador: a retenção poderá então apagar as gravações</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="75"/>
        <source>Bookmark the wall…</source>
        <translation>Marcar o mural…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="77"/>
        <source>Bookmark every camera on the wall over a time range (the last five minutes unless changed)</source>
        <translation>Marcar todas as câmeras do mural num intervalo de tempo (os últimos cinco minutos, se não for alterado)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="105"/>
        <source>Remove bookmark</source>
        <translation>Remover marcador</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="106"/>
        <source>Remove “{0}”? Its footage is then no longer kept from retention.</source>
        <translation>Remover “{0}”? As gravações deixam de ser protegidas da retenção.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="128"/>
        <source>Made by {0}</source>
        <translation>Criado por {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="134"/>
        <source>{0} bookmark(s)</source>
        <translation>{0} marcador(es)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="136"/>
        <source>No bookmark&apos;s name or note contains “{0}”</source>
        <translation>Nenhum marcador tem “{0}” no nome ou na nota</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="138"/>
        <source>No bookmarks yet: select a recording and choose “Bookmark…”</source>
        <translation>Nenhum marcador ainda: selecione uma gravação e escolha “Marcar…”</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="67"/>
        <source>Edit camera</source>
        <translation>Editar câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="67"/>
        <source>Add camera</source>
        <translation>Adicionar câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="83"/>
        <source>optional, used in small tiles</source>
        <translation>opcional, usado em quadros pequenos</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="87"/>
        <source> days</source>
        <translation> dias</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="89"/>
        <source>Automatic (lowest latency)</source>
        <translation>Automático (menor latência)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="94"/>
        <source>Continuously</source>
        <translation>Continuamente</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="95"/>
        <source>On motion (with the seconds before and after)</source>
        <translation>Com movimento (com os segundos antes e depois)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="96"/>
        <source>Only when asked</source>
        <translation>Só quando pedido</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="99"/>
        <source>How the recorder records this camera; on motion, this window does too</source>
        <translation>Como o gravador grava esta câmera; com movimento, esta janela também grava</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="106"/>
        <source>Test connection</source>
        <translation>Testar conexão</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="110"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="111"/>
        <source>Source URL</source>
        <translation>URL da fonte</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="112"/>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="113"/>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="114"/>
        <source>Sub-stream URL</source>
        <translation>URL do substream</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="115"/>
        <source>Keep recordings</source>
        <translation>Manter gravações</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="116"/>
        <source>Record</source>
        <translation>Gravar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="117"/>
        <source>Live transport</source>
        <translation>Transporte ao vivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="144"/>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="145"/>
        <source>Motion</source>
        <translation>Movimento</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="153"/>
        <source>unchanged</source>
        <translation>inalterada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="201"/>
        <source>The user and password were moved from the URL to their fields</source>
        <translation>O usuário e a senha foram movidos da URL para os seus campos</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="212"/>
        <source>Motion: {0}</source>
        <translation>Movimento: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="235"/>
        <source>The connection test of this camera failed:
{0}

Save it anyway?</source>
        <translation>O teste de conexão desta câmera falhou:
{0}

Salvar mesmo assim?</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="236"/>
        <source>Save a camera that did not answer?</source>
        <translation>Salvar uma câmera que não respondeu?</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="246"/>
        <source>Testing…</source>
        <translation>Testando…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="253"/>
        <source>Connected: {0}</source>
        <translation>Conectado: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/camera_dialog.py" line="256"/>
        <source>Failed: {0}</source>
        <translation>Falhou: {0}</translation>
    </message>
</context>
<context>
    <name>CameraListWidget</name>
    <message>
        <location filename="../../vidstream_desktop/wall/camera_list.py" line="130"/>
        <source>{name}: not connected yet (put it on the wall or record it)</source>
        <translation>{name}: ainda não conectada (coloque-a no mural ou grave-a)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/camera_list.py" line="131"/>
        <source>{name}: online</source>
        <translation>{name}: online</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/camera_list.py" line="132"/>
        <source>{name}: offline</source>
        <translation>{name}: offline</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/camera_list.py" line="133"/>
        <source>{name}: recording</source>
        <translation>{name}: gravando</translation>
    </message>
</context>
<context>
    <name>ControlRoom</name>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="42"/>
        <source>Tour in the focused tile…</source>
        <translation>Ronda no quadro em foco…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="43"/>
        <source>Tour of saved layouts…</source>
        <translation>Ronda pelos layouts salvos…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="44"/>
        <source>Stop the tours</source>
        <translation>Parar as rondas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="45"/>
        <source>PTZ presets of the focused tile…</source>
        <translation>Predefinições PTZ do quadro em foco…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="47"/>
        <source>Layout to a window of its own (another screen)</source>
        <translation>Layout numa janela própria (outra tela)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="49"/>
        <source>Focused tile to a window of its own</source>
        <translation>Quadro em foco numa janela própria</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="51"/>
        <source>Instant replay in the focused tile (again: back to live)</source>
        <translation>Replay instantâneo no quadro em foco (de novo: volta ao vivo)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="58"/>
        <source>Tour in the focused tile</source>
        <translation>Ronda no quadro em foco</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="68"/>
        <source>A tour of layouts needs two saved layouts (Ctrl+S saves one)</source>
        <translation>Uma ronda de layouts precisa de dois layouts salvos (Ctrl+S salva um)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="71"/>
        <source>Tour of saved layouts</source>
        <translation>Ronda pelos layouts salvos</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="89"/>
        <source>The focused tile shows no PTZ camera</source>
        <translation>O quadro em foco não mostra uma câmera PTZ</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/control_room.py" line="103"/>
        <source>The focused tile shows no camera</source>
        <translation>O quadro em foco não mostra nenhuma câmera</translation>
    </message>
</context>
<context>
    <name>DetachedWall</name>
    <message>
        <location filename="../../vidstream_desktop/wall/detached.py" line="63"/>
        <source>Full screen</source>
        <translation>Tela cheia</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/detached.py" line="64"/>
        <source>Move to the next screen</source>
        <translation>Mover para a próxima tela</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/detached.py" line="66"/>
        <source>Leave full screen</source>
        <translation>Sair da tela cheia</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="22"/>
        <source>Not enough disk space</source>
        <translation>Espaço em disco insuficiente</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="23"/>
        <source>The archive refused the credentials</source>
        <translation>O arquivo recusou as credenciais</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="24"/>
        <source>The archive cannot be reached</source>
        <translation>O arquivo não pode ser alcançado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="25"/>
        <source>A downloaded part did not match the archive&apos;s checksum</source>
        <translation>Uma parte baixada não confere com o checksum do arquivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="26"/>
        <source>Nothing to download</source>
        <translation>Nada para baixar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="55"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="57"/>
        <source>Resume</source>
        <translation>Retomar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="58"/>
        <source>Start again; what was already downloaded is kept</source>
        <translation>Recomeçar; o que já foi baixado é mantido</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="60"/>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="61"/>
        <source>Open the folder holding the file</source>
        <translation>Abrir a pasta que contém o arquivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="83"/>
        <source>{0} %</source>
        <translation>{0} %</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="86"/>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="84"/>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="88"/>
        <source>Preparing…</source>
        <translation>Preparando…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="92"/>
        <source>Signed {name}: {files} file(s), {size}</source>
        <translation>Assinado {name}: {files} arquivo(s), {size}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="95"/>
        <source>{path}
signed by {key}; check it with `vidstream verify`</source>
        <translation>{path}
assinado por {key}; confira com `vidstream verify`</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="100"/>
        <source>Saved {name} ({size})</source>
        <translation>Salvo {name} ({size})</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="103"/>
        <source>1 lost part left out</source>
        <translation>1 parte perdida deixada de fora</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="103"/>
        <source>%n lost parts left out</source>
        <translation>
            <numerusform>%n partes perdidas deixadas de fora</numerusform>
            <numerusform>%n partes perdidas deixadas de fora</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="107"/>
        <source>Cancelled. Resume continues where it stopped.</source>
        <translation>Cancelado. Retomar continua de onde parou.</translation>
    </message>
</context>
<context>
    <name>DownloadsList</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="128"/>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/downloads.py" line="130"/>
        <source>Downloads and exports appear here.</source>
        <translation>Downloads e exportações aparecem aqui.</translation>
    </message>
</context>
<context>
    <name>EventsPanel</name>
    <message>
        <location filename="../../vidstream_desktop/events_panel.py" line="49"/>
        <source>Search motion…</source>
        <translation>Buscar movimento…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/events_panel.py" line="50"/>
        <source>Moments with motion in a region of the picture (Ctrl+Shift+M)</source>
        <translation>Momentos com movimento numa região da imagem (Ctrl+Shift+M)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/events_panel.py" line="71"/>
        <source>All cameras</source>
        <translation>Todas as câmeras</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/events_panel.py" line="96"/>
        <source>now</source>
        <translation>agora</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/events_panel.py" line="98"/>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
</context>
<context>
    <name>EvidenceDialog</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="148"/>
        <source>Export evidence</source>
        <translation>Exportar evidências</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="163"/>
        <source>As one ZIP file</source>
        <translation>Como um único arquivo ZIP</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="164"/>
        <source>Also a copy with the camera name and time burnt in (re-encoded)</source>
        <translation>Também uma cópia com o nome da câmera e a hora gravados na imagem (recodificada)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="165"/>
        <source>One MP4 per camera, not re-encoded, with a manifest of their SHA-256 sums signed by this workstation&apos;s key; `vidstream verify` checks it.</source>
        <translation>Um MP4 por câmera, sem recodificar, com um manifesto das somas SHA-256 assinado pela chave desta estação; `vidstream verify` o confere.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="172"/>
        <source>Cameras</source>
        <translation>Câmeras</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="173"/>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="174"/>
        <source>To</source>
        <translation>Até</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="175"/>
        <source>Save in</source>
        <translation>Salvar em</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="176"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="178"/>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="206"/>
        <source>Tick at least one camera.</source>
        <translation>Marque ao menos uma câmera.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="208"/>
        <source>The end must come after the start.</source>
        <translation>O fim deve vir depois do início.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="210"/>
        <source>Give the package a name (no slashes).</source>
        <translation>Dê um nome ao pacote (sem barras).</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="212"/>
        <source>{0} exists already: choose another name.</source>
        <translation>{0} já existe: escolha outro nome.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="87"/>
        <source>Export a time range</source>
        <translation>Exportar um intervalo de tempo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="99"/>
        <source>Segments are joined without re-encoding: the clip begins at the key frame before the start (players start at the start itself).</source>
        <translation>Os segmentos são unidos sem recodificação: o clipe começa no quadro-chave anterior ao início (os players começam no próprio início).</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="106"/>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="107"/>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="108"/>
        <source>To</source>
        <translation>Até</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="109"/>
        <source>Save in</source>
        <translation>Salvar em</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="111"/>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="128"/>
        <source>The end must come after the start.</source>
        <translation>O fim deve vir depois do início.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="24"/>
        <source>Show one camera&apos;s recordings</source>
        <translation>Mostrar as gravações de uma câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="26"/>
        <source>Any time</source>
        <translation>Qualquer horário</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="26"/>
        <source>Last hour</source>
        <translation>Última hora</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="26"/>
        <source>Today</source>
        <translation>Hoje</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="26"/>
        <source>Yesterday</source>
        <translation>Ontem</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="27"/>
        <source>Last 7 days</source>
        <translation>Últimos 7 dias</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="27"/>
        <source>Between…</source>
        <translation>Entre…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="43"/>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="46"/>
        <source>When</source>
        <translation>Quando</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/filters.py" line="63"/>
        <source>All cameras</source>
        <translation>Todas as câmeras</translation>
    </message>
</context>
<context>
    <name>FolderField</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="57"/>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="69"/>
        <source>Save in</source>
        <translation>Salvar em</translation>
    </message>
</context>
<context>
    <name>HealthBar</name>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="44"/>
        <location filename="../../vidstream_desktop/status_panel.py" line="49"/>
        <location filename="../../vidstream_desktop/status_panel.py" line="52"/>
        <source>Media server</source>
        <translation>Servidor de mídia</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="44"/>
        <location filename="../../vidstream_desktop/status_panel.py" line="45"/>
        <source>starting…</source>
        <translation>iniciando…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="45"/>
        <location filename="../../vidstream_desktop/status_panel.py" line="59"/>
        <location filename="../../vidstream_desktop/status_panel.py" line="62"/>
        <source>Archive</source>
        <translation>Arquivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="49"/>
        <source>MediaMTX answers</source>
        <translation>O MediaMTX responde</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="54"/>
        <source>{0}
Live view and recording need it: check that MediaMTX runs.</source>
        <translation>{0}
A visualização ao vivo e a gravação precisam dele: verifique se o MediaMTX está rodando.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="59"/>
        <source>Recordings are uploaded and verified</source>
        <translation>As gravações são enviadas e verificadas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="64"/>
        <source>{0}
Recordings stay on this disk and upload when it is back.</source>
        <translation>{0}
As gravações ficam neste disco e são enviadas quando ele voltar.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="68"/>
        <source>Cameras {0}/{1}</source>
        <translation>Câmeras {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="70"/>
        <source>All cameras send video</source>
        <translation>Todas as câmeras enviam vídeo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="70"/>
        <source>{0} camera(s) offline</source>
        <translation>{0} câmera(s) offline</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="75"/>
        <source>Degraded {0}</source>
        <translation>Degradados {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="77"/>
        <source>{0} tile(s) show a picture that is not current: pictures dropped or packets lost</source>
        <translation>{0} quadro(s) mostram uma imagem que não está atual: imagens descartadas ou pacotes perdidos</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="81"/>
        <source>Recording {0}</source>
        <translation>Gravando {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="83"/>
        <source>Cameras being recorded now</source>
        <translation>Câmeras sendo gravadas agora</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="86"/>
        <source>Upload queue {0}</source>
        <translation>Fila de envio {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="88"/>
        <source>Closed segments waiting for upload to the archive</source>
        <translation>Segmentos fechados aguardando envio ao arquivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="94"/>
        <source>Sites {0}/{1}</source>
        <translation>Locais {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="96"/>
        <source>Every site&apos;s media server answers</source>
        <translation>O servidor de mídia de cada local responde</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="100"/>
        <source>Disk {0} GiB free</source>
        <translation>Disco {0} GiB livres</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="102"/>
        <source>Recording stops before the disk fills; free space to resume</source>
        <translation>A gravação para antes de o disco encher; libere espaço para retomar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/status_panel.py" line="104"/>
        <source>Free space for recordings</source>
        <translation>Espaço livre para gravações</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <location filename="../../vidstream_desktop/help_dialog.py" line="24"/>
        <source>Keyboard shortcuts</source>
        <translation>Atalhos de teclado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/help_dialog.py" line="27"/>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/help_dialog.py" line="27"/>
        <source>Action</source>
        <translation>Ação</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/help_dialog.py" line="39"/>
        <source>Open log folder</source>
        <translation>Abrir a pasta de registros</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/help_dialog.py" line="40"/>
        <source>The full text of every alert, to send to whoever supports this workstation</source>
        <translation>O texto completo de cada alerta, para enviar a quem dá suporte a esta estação</translation>
    </message>
</context>
<context>
    <name>InstantReplay</name>
    <message>
        <location filename="../../vidstream_desktop/wall/replay.py" line="93"/>
        <source>{0}: nothing of the last {1} s is on this machine (it is not being recorded); record it to replay it</source>
        <translation>{0}: nada dos últimos {1} s está nesta máquina (não está sendo gravada); grave-a para rever</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/replay.py" line="105"/>
        <source>REPLAY</source>
        <translation>REPLAY</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/replay.py" line="105"/>
        <source>Replaying the last {0} s; back to live at the end</source>
        <translation>Revendo os últimos {0} s; volta ao vivo no fim</translation>
    </message>
</context>
<context>
    <name>LivePlayer</name>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="185"/>
        <source>no stream address</source>
        <translation>sem endereço de stream</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="191"/>
        <source>this VLC cannot open {transport} streams</source>
        <translation>este VLC não abre streams {transport}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="196"/>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="278"/>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="326"/>
        <source>connecting over {transport}</source>
        <translation>conectando via {transport}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="220"/>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="393"/>
        <source>the live relay cannot start: {0}</source>
        <translation>o retransmissor ao vivo não consegue iniciar: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="293"/>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="457"/>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="476"/>
        <source>offline: camera not sending</source>
        <translation>offline: a câmera não está enviando</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="295"/>
        <source>offline: server not reachable</source>
        <translation>offline: servidor inacessível</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="329"/>
        <source>VLC could not start the stream</source>
        <translation>O VLC não conseguiu iniciar o stream</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="399"/>
        <source>offline: {0}; retrying in {1:.0f} s</source>
        <translation>offline: {0}; nova tentativa em {1:.0f} s</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="410"/>
        <source>offline: the stream could not be opened</source>
        <translation>offline: o stream não pôde ser aberto</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="412"/>
        <source>offline: the stream ended</source>
        <translation>offline: o stream terminou</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="459"/>
        <source>offline: no picture within {seconds:.0f} s</source>
        <translation>offline: nenhuma imagem em {seconds:.0f} s</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="483"/>
        <source>no new picture: the camera stopped sending</source>
        <translation>sem imagem nova: a câmera parou de enviar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="535"/>
        <source>packets lost: {0} in {1:.0f} s</source>
        <translation>pacotes perdidos: {0} em {1:.0f} s</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="537"/>
        <source>decoder behind: {0} pictures dropped in {1:.0f} s</source>
        <translation>decodificador atrasado: {0} imagens descartadas em {1:.0f} s</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/live_player.py" line="538"/>
        <source>showing {0:.0f} of the camera&apos;s {1:.0f} fps</source>
        <translation>exibindo {0:.0f} dos {1:.0f} fps da câmera</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="69"/>
        <source>Live</source>
        <translation>Ao vivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="72"/>
        <source>Cameras</source>
        <translation>Câmeras</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="92"/>
        <location filename="../../vidstream_desktop/main_window.py" line="303"/>
        <source>Alerts</source>
        <translation>Alertas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="100"/>
        <source>Every warning and error since the start (Ctrl+L)</source>
        <translation>Todos os avisos e erros desde o início (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="124"/>
        <source>Starting the media server and cameras…</source>
        <translation>Iniciando o servidor de mídia e as câmeras…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="139"/>
        <source>Wall</source>
        <translation>Mural</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="144"/>
        <source>Layout {0}</source>
        <translation>Layout {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="149"/>
        <source>Record all</source>
        <translation>Gravar todas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="151"/>
        <source>Stop all recordings</source>
        <translation>Parar todas as gravações</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="154"/>
        <source>Add camera</source>
        <translation>Adicionar câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="155"/>
        <location filename="../../vidstream_desktop/main_window.py" line="367"/>
        <source>Edit camera</source>
        <translation>Editar câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="156"/>
        <location filename="../../vidstream_desktop/main_window.py" line="404"/>
        <source>Remove camera</source>
        <translation>Remover câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="159"/>
        <source>Save layout as…</source>
        <translation>Salvar layout como…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="162"/>
        <source>Open saved layout…</source>
        <translation>Abrir layout salvo…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="165"/>
        <source>Full screen</source>
        <translation>Tela cheia</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="168"/>
        <source>Keyboard shortcuts</source>
        <translation>Atalhos de teclado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="169"/>
        <source>Show or hide the alerts</source>
        <translation>Mostrar ou ocultar os alertas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="170"/>
        <source>Leave full screen / maximised tile</source>
        <translation>Sair da tela cheia / do quadro maximizado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="182"/>
        <source>Double-click a tile</source>
        <translation>Clique duplo em um quadro</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="182"/>
        <source>Maximise it / back to the wall</source>
        <translation>Maximizá-lo / voltar ao mural</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="183"/>
        <source>Drag a camera onto a tile</source>
        <translation>Arraste uma câmera para um quadro</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="183"/>
        <source>Show that camera there</source>
        <translation>Mostrar essa câmera ali</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="184"/>
        <source>Camera number, Enter</source>
        <translation>Número da câmera, Enter</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="184"/>
        <source>Show that camera in the focused tile</source>
        <translation>Mostra essa câmera no quadro em foco</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="185"/>
        <source>Arrow keys, click</source>
        <translation>Setas, clique</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="185"/>
        <source>Move the focus between tiles</source>
        <translation>Move o foco entre os quadros</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="186"/>
        <source>Backspace / Esc</source>
        <translation>Backspace / Esc</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="186"/>
        <source>Correct / forget the typed number</source>
        <translation>Corrige / descarta o número digitado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="187"/>
        <source>Drag / wheel in a PTZ camera&apos;s tile</source>
        <translation>Arrastar / roda no quadro de uma câmera PTZ</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="187"/>
        <source>Pan and tilt / zoom</source>
        <translation>Girar e inclinar / zoom</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="188"/>
        <source>Arrow keys, held (maximised PTZ tile)</source>
        <translation>Setas, mantidas (quadro PTZ maximizado)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="188"/>
        <source>Pan and tilt</source>
        <translation>Girar e inclinar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="189"/>
        <source>Wheel / drag in a picture (Ctrl on a PTZ tile)</source>
        <translation>Roda / arrastar na imagem (Ctrl num quadro PTZ)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="190"/>
        <source>Digital zoom / move the zoomed view</source>
        <translation>Zoom digital / mover a área ampliada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="270"/>
        <source>Recordings</source>
        <translation>Gravações</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="303"/>
        <source>Alerts ({0})</source>
        <translation>Alertas ({0})</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="344"/>
        <source>Camera not added</source>
        <translation>Câmera não adicionada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="368"/>
        <source>{0} belongs to site {1}: change it on that site&apos;s recorder.</source>
        <translation>{0} pertence ao local {1}: altere-a no gravador desse local.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="384"/>
        <source>Camera not changed</source>
        <translation>Câmera não alterada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="405"/>
        <source>Remove {0}? Its recordings stay in the archive until their retention ends.</source>
        <translation>Remover {0}? Suas gravações ficam no arquivo até o fim da retenção.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="424"/>
        <source>Save layout</source>
        <translation>Salvar layout</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="424"/>
        <source>Name of this layout:</source>
        <translation>Nome deste layout:</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="433"/>
        <source>No saved layouts yet (Ctrl+S saves one)</source>
        <translation>Nenhum layout salvo ainda (Ctrl+S salva um)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="435"/>
        <source>Open layout</source>
        <translation>Abrir layout</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/main_window.py" line="435"/>
        <source>Layout:</source>
        <translation>Layout:</translation>
    </message>
</context>
<context>
    <name>MaskEditor</name>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="103"/>
        <source>No picture yet: masks still apply</source>
        <translation>Ainda sem imagem: as máscaras valem mesmo assim</translation>
    </message>
</context>
<context>
    <name>MonitorWindows</name>
    <message>
        <location filename="../../vidstream_desktop/wall/detached.py" line="159"/>
        <source>VidStream — wall {0}</source>
        <translation>VidStream — mural {0}</translation>
    </message>
</context>
<context>
    <name>MotionControls</name>
    <message>
        <location filename="../../vidstream_desktop/motion_wiring.py" line="33"/>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_wiring.py" line="42"/>
        <source>Motion detection…</source>
        <translation>Detecção de movimento…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_wiring.py" line="46"/>
        <source>Search motion…</source>
        <translation>Buscar movimento…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_wiring.py" line="50"/>
        <source>Alarm tile: the focused tile (again: none)</source>
        <translation>Quadro de alarme: o quadro em foco (de novo: nenhum)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_wiring.py" line="57"/>
        <source>Cameras in motion now come to the alarm tile</source>
        <translation>Câmeras em movimento agora vêm para o quadro de alarme</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_wiring.py" line="57"/>
        <source>No alarm tile</source>
        <translation>Sem quadro de alarme</translation>
    </message>
</context>
<context>
    <name>MotionDialog</name>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="170"/>
        <source>Motion detection: {0}</source>
        <translation>Detecção de movimento: {0}</translation>
    </message>
</context>
<context>
    <name>MotionSearchDialog</name>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="63"/>
        <source>Motion search</source>
        <translation>Busca de movimento</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="77"/>
        <source>Whole picture</source>
        <translation>Imagem inteira</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="79"/>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="82"/>
        <source>Draw a region (click corners, double-click to close), then search</source>
        <translation>Desenhe uma região (clique nos cantos, clique duplo para fechar) e busque</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="88"/>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="89"/>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="90"/>
        <source>To</source>
        <translation>Até</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="129"/>
        <source>No camera with motion detection to search</source>
        <translation>Nenhuma câmera com detecção de movimento para buscar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="134"/>
        <source>The end of the range must come after its start</source>
        <translation>O fim do intervalo deve vir depois do início</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="136"/>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="142"/>
        <source>The search failed: {0}</source>
        <translation>A busca falhou: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="146"/>
        <source>{0} – {1} ({2} s)</source>
        <translation>{0} – {1} ({2} s)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="153"/>
        <source>One moment with motion in the region</source>
        <translation>Um momento com movimento na região</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="155"/>
        <source>{0} moments with motion in the region</source>
        <translation>{0} momentos com movimento na região</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_search.py" line="151"/>
        <source>No motion in the region then</source>
        <translation>Nenhum movimento na região nesse período</translation>
    </message>
</context>
<context>
    <name>MotionSettingsForm</name>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="124"/>
        <source>Detect motion on this camera</source>
        <translation>Detectar movimento nesta câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="135"/>
        <source>Close mask</source>
        <translation>Fechar máscara</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="136"/>
        <source>Clear masks</source>
        <translation>Apagar máscaras</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="141"/>
        <source>Sensitivity</source>
        <translation>Sensibilidade</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="142"/>
        <source>Smallest moving area</source>
        <translation>Menor área em movimento</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/motion_dialog.py" line="144"/>
        <source>Masks: click corners on the picture, double-click to close</source>
        <translation>Máscaras: clique nos cantos sobre a imagem, clique duplo para fechar</translation>
    </message>
</context>
<context>
    <name>OnvifPanel</name>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="35"/>
        <source>ONVIF camera</source>
        <translation>Câmera ONVIF</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="42"/>
        <source>camera address, e.g. 192.168.1.64 or 192.168.1.64:8080</source>
        <translation>endereço da câmera, ex.: 192.168.1.64 ou 192.168.1.64:8080</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="43"/>
        <source>Read from camera</source>
        <translation>Ler da câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="44"/>
        <source>Fill in the stream URLs from the camera&apos;s ONVIF profiles (uses the user and password below)</source>
        <translation>Preenche as URLs dos fluxos a partir dos perfis ONVIF da câmera (usa o usuário e a senha abaixo)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="47"/>
        <source>Find cameras</source>
        <translation>Procurar câmeras</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="48"/>
        <source>List ONVIF cameras on the local network; with an address typed, ask only that one</source>
        <translation>Lista as câmeras ONVIF da rede local; com um endereço digitado, pergunta só a esse</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="80"/>
        <source>Reading the camera&apos;s profiles…</source>
        <translation>Lendo os perfis da câmera…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="88"/>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="91"/>
        <source>Could not read the camera: {0}</source>
        <translation>Não foi possível ler a câmera: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="100"/>
        <source>{0}: main stream {1} {2}</source>
        <translation>{0}: fluxo principal {1} {2}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="102"/>
        <source>, sub-stream {0} {1}</source>
        <translation>, subfluxo {0} {1}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="104"/>
        <source>, no sub-stream</source>
        <translation>, sem subfluxo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="106"/>
        <source>, PTZ</source>
        <translation>, PTZ</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="110"/>
        <source>Looking for cameras…</source>
        <translation>Procurando câmeras…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="117"/>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="120"/>
        <source>Could not look for cameras: {0}</source>
        <translation>Não foi possível procurar câmeras: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="125"/>
        <source>(no name)</source>
        <translation>(sem nome)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/onvif_panel.py" line="133"/>
        <source>%n camera(s) found: pick one, then read it.</source>
        <translation>
            <numerusform>%n câmera encontrada: escolha-a e leia-a.</numerusform>
            <numerusform>%n câmeras encontradas: escolha uma e leia-a.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/onvif_panel.py" line="135"/>
        <source>No ONVIF camera answered.</source>
        <translation>Nenhuma câmera ONVIF respondeu.</translation>
    </message>
</context>
<context>
    <name>PlayerPanel</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="132"/>
        <source>No recording selected</source>
        <translation>Nenhuma gravação selecionada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="137"/>
        <source>Pick a recording, or click the timeline</source>
        <translation>Escolha uma gravação ou clique na linha do tempo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="139"/>
        <source>Play / pause (Space)</source>
        <translation>Reproduzir / pausar (Espaço)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="140"/>
        <source>Next frame (.)</source>
        <translation>Próximo quadro (.)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="142"/>
        <source>Previous frame (,)</source>
        <translation>Quadro anterior (,)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="144"/>
        <source>Play backwards, key frame by key frame (J)</source>
        <translation>Reproduzir para trás, de quadro-chave em quadro-chave (J)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="163"/>
        <source>Playback speed</source>
        <translation>Velocidade de reprodução</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="165"/>
        <source>Sound on / off</source>
        <translation>Som liga / desliga</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="166"/>
        <source>Save a snapshot</source>
        <translation>Salvar uma captura</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="399"/>
        <source>The snapshot could not be saved</source>
        <translation>Não foi possível salvar a captura</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="450"/>
        <source>VLC could not open this recording</source>
        <translation>O VLC não conseguiu abrir esta gravação</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/player.py" line="508"/>
        <source>This part of the recording cannot be played</source>
        <translation>Esta parte da gravação não pode ser reproduzida</translation>
    </message>
</context>
<context>
    <name>PtzPresetsDialog</name>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="34"/>
        <source>Presets of {0}</source>
        <translation>Predefinições de {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="41"/>
        <source>Name, e.g. Gate</source>
        <translation>Nome, p. ex. Portão</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="42"/>
        <source>Go to</source>
        <translation>Ir para</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="43"/>
        <source>Keep the current position</source>
        <translation>Guardar a posição atual</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="44"/>
        <source>Remove</source>
        <translation>Remover</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="75"/>
        <source>Moved to {0}</source>
        <translation>Movida para {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="79"/>
        <source>Kept as {0}</source>
        <translation>Guardada como {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/ptz_presets.py" line="84"/>
        <source>Removed {0}</source>
        <translation>Removida {0}</translation>
    </message>
</context>
<context>
    <name>RecordingsController</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="275"/>
        <source>Archive of {0} not listed: {1}</source>
        <translation>Arquivo de {0} não listado: {1}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="275"/>
        <source>this machine</source>
        <translation>esta máquina</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="277"/>
        <source>The archive holds no recordings this workstation does not already list</source>
        <translation>O arquivo não tem gravações que esta estação ainda não liste</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="279"/>
        <source>1 recording found in the archive</source>
        <translation>1 gravação encontrada no arquivo</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/recordings/controller.py" line="281"/>
        <source>%Ln recordings found in the archive</source>
        <translation>
            <numerusform>%Ln gravações encontradas no arquivo</numerusform>
            <numerusform>%Ln gravações encontradas no arquivo</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="307"/>
        <source>Recording deleted</source>
        <translation>Gravação excluída</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="312"/>
        <source>{camera}, {start}</source>
        <translation>{camera}, {start}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="321"/>
        <source>{camera}, {start} – {end}</source>
        <translation>{camera}, {start} – {end}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="330"/>
        <source>Evidence: {count} camera(s), {start} – {end}</source>
        <translation>Evidências: {count} câmera(s), {start} – {end}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="371"/>
        <source>Signed {path}</source>
        <translation>Assinado {path}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="381"/>
        <source>Saved {path}</source>
        <translation>Salvo {path}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/controller.py" line="386"/>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
</context>
<context>
    <name>RecordingsModel</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="114"/>
        <source>Camera</source>
        <translation>Câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="114"/>
        <source>Start</source>
        <translation>Início</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="114"/>
        <source>End</source>
        <translation>Fim</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="114"/>
        <source>Duration</source>
        <translation>Duração</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="114"/>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="114"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="255"/>
        <source>recording…</source>
        <translation>gravando…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="264"/>
        <source>recording</source>
        <translation>gravando</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="264"/>
        <source>local</source>
        <translation>local</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="265"/>
        <source>uploading</source>
        <translation>enviando</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="265"/>
        <source>archived</source>
        <translation>arquivada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="273"/>
        <source>expires today</source>
        <translation>expira hoje</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="275"/>
        <source>expires tomorrow</source>
        <translation>expira amanhã</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/recordings/model.py" line="277"/>
        <source>expires in %n days</source>
        <translation>
            <numerusform>expira em %n dias</numerusform>
            <numerusform>expira em %n dias</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="294"/>
        <source>{archived} of {total} segments archived</source>
        <translation>{archived} de {total} segmentos arquivados</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="297"/>
        <source>Kept until {date} ({days} days after it ended)</source>
        <translation>Mantida até {date} ({days} dias após terminar)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/model.py" line="300"/>
        <source>Retention lock: cannot be deleted before then</source>
        <translation>Bloqueio de retenção: não pode ser excluída antes disso</translation>
    </message>
</context>
<context>
    <name>RecordingsPanel</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="136"/>
        <source>Refresh from archive</source>
        <translation>Atualizar do arquivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="137"/>
        <source>List the archive and add recordings made on other workstations</source>
        <translation>Listar o arquivo e adicionar gravações feitas em outras estações</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="168"/>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="527"/>
        <source>Play</source>
        <translation>Reproduzir</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="169"/>
        <source>Download</source>
        <translation>Baixar</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="170"/>
        <source>Save the whole recording as one MP4 file</source>
        <translation>Salvar a gravação inteira como um arquivo MP4</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="171"/>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="529"/>
        <source>Export range…</source>
        <translation>Exportar intervalo…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="172"/>
        <source>Save a camera&apos;s footage between two moments as one MP4 file</source>
        <translation>Salvar as imagens de uma câmera entre dois momentos como um arquivo MP4</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="173"/>
        <source>Evidence…</source>
        <translation>Evidências…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="174"/>
        <source>Several cameras over one time range, signed: a package whose every changed byte `vidstream verify` finds</source>
        <translation>Várias câmeras num mesmo intervalo, assinadas: um pacote em que `vidstream verify` acha cada byte alterado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="176"/>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="531"/>
        <source>Share link…</source>
        <translation>Compartilhar link…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="177"/>
        <source>Bookmark…</source>
        <translation>Marcar…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="178"/>
        <source>Name and keep this recording: retention leaves it until the bookmark is removed</source>
        <translation>Nomear e guardar esta gravação: a retenção a mantém até o marcador ser removido</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="180"/>
        <source>Copy a link that expires (1 hour to 7 days)</source>
        <translation>Copiar um link que expira (1 hora a 7 dias)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="181"/>
        <source>Delete</source>
        <translation>Excluir</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="228"/>
        <source>Snapshot saved: {0}</source>
        <translation>Captura salva: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="275"/>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="288"/>
        <source>Playing</source>
        <translation>Reproduzindo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="280"/>
        <source>Nothing of this recording is left to play</source>
        <translation>Não resta nada desta gravação para reproduzir</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="294"/>
        <source>{camera} recorded nothing after {time}</source>
        <translation>{camera} não gravou nada depois de {time}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="359"/>
        <source>{camera}, {start} to {end}</source>
        <translation>{camera}, de {start} a {end}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="366"/>
        <source>Not bookmarked</source>
        <translation>Não marcado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="370"/>
        <source>Bookmarked “{0}”</source>
        <translation>Marcado “{0}”</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/recordings/panel.py" line="372"/>
        <source>(%n archived segment(s) under a legal hold)</source>
        <translation>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="383"/>
        <source>this recording</source>
        <translation>esta gravação</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="389"/>
        <source>Sharing</source>
        <translation>Compartilhamento</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="403"/>
        <source>Link copied</source>
        <translation>Link copiado</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/recordings/panel.py" line="403"/>
        <source>%n links copied</source>
        <translation>
            <numerusform>%n links copiados</numerusform>
            <numerusform>%n links copiados</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="405"/>
        <source>{copied}, valid until {until}</source>
        <translation>{copied}, válido até {until}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="407"/>
        <source>— it opens only on this machine: the archive listens on this computer alone (set [storage] public_endpoint_url for links others can open)</source>
        <translation>— ele abre só nesta máquina: o arquivo escuta apenas neste computador (defina [storage] public_endpoint_url para links que outros possam abrir)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="418"/>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="427"/>
        <source>Not deleted</source>
        <translation>Não excluída</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="420"/>
        <source>Delete the recording of {camera} from {start}? It is removed from this disk and from the archive, and cannot be brought back.</source>
        <translation>Excluir a gravação de {camera} de {start}? Ela é removida deste disco e do arquivo e não pode ser recuperada.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="423"/>
        <source>Delete recording</source>
        <translation>Excluir gravação</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="431"/>
        <source>Archive</source>
        <translation>Arquivo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="490"/>
        <source>Delete this recording</source>
        <translation>Excluir esta gravação</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="510"/>
        <source>1 recording</source>
        <translation>1 gravação</translation>
    </message>
    <message numerus="yes">
        <location filename="../../vidstream_desktop/recordings/panel.py" line="510"/>
        <source>%Ln recordings</source>
        <translation>
            <numerusform>%Ln gravações</numerusform>
            <numerusform>%Ln gravações</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="528"/>
        <source>Download…</source>
        <translation>Baixar…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="530"/>
        <source>Export evidence…</source>
        <translation>Exportar evidências…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="533"/>
        <source>Delete…</source>
        <translation>Excluir…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/panel.py" line="545"/>
        <source>Save the recording in</source>
        <translation>Salvar a gravação em</translation>
    </message>
</context>
<context>
    <name>ReplayView</name>
    <message>
        <location filename="../../vidstream_desktop/wall/replay.py" line="53"/>
        <source>Replay of {0} from {1}</source>
        <translation>Replay de {0} desde {1}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/replay.py" line="55"/>
        <source>Back to live</source>
        <translation>Voltar ao vivo</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="32"/>
        <source>1 hour</source>
        <translation>1 hora</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="33"/>
        <source>6 hours</source>
        <translation>6 horas</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="34"/>
        <source>1 day</source>
        <translation>1 dia</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="35"/>
        <source>3 days</source>
        <translation>3 dias</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="36"/>
        <source>7 days</source>
        <translation>7 dias</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="222"/>
        <source>Share a link</source>
        <translation>Compartilhar um link</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="226"/>
        <source>The part being played (one link)</source>
        <translation>A parte em reprodução (um link)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="227"/>
        <source>The whole recording (one link per part)</source>
        <translation>A gravação inteira (um link por parte)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="230"/>
        <source>A link to {what} that anyone holding it can open until it expires. Links last at most 7 days.</source>
        <translation>Um link para {what} que qualquer pessoa com ele pode abrir até expirar. Links duram no máximo 7 dias.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="234"/>
        <source>Valid for</source>
        <translation>Válido por</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/dialogs.py" line="236"/>
        <source>Copy link</source>
        <translation>Copiar link</translation>
    </message>
</context>
<context>
    <name>TileInfoBar</name>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="126"/>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="239"/>
        <source>● REC</source>
        <translation>● GRAV</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="128"/>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="245"/>
        <source>Recording</source>
        <translation>Gravando</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="131"/>
        <source>ALARM</source>
        <translation>ALARME</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="142"/>
        <source>PTZ</source>
        <translation>PTZ</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="144"/>
        <source>PTZ camera: drag to pan and tilt, wheel to zoom</source>
        <translation>Câmera PTZ: arraste para girar e inclinar, roda para zoom</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="157"/>
        <source>Save a snapshot</source>
        <translation>Salvar uma captura</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="162"/>
        <source>Instant replay: the last 30 s here (Ctrl+I)</source>
        <translation>Replay instantâneo: os últimos 30 s aqui (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="165"/>
        <source>Maximise / restore (double-click)</source>
        <translation>Maximizar / restaurar (clique duplo)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="239"/>
        <source>❚❚ REC paused</source>
        <translation>❚❚ GRAV pausada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="241"/>
        <source>Recording paused: the camera sends nothing; it resumes by itself</source>
        <translation>Gravação pausada: a câmera não envia nada; ela continua sozinha</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="243"/>
        <source>Recording a motion event, from the seconds before it; it ends after the motion</source>
        <translation>Gravando um evento de movimento, desde os segundos antes dele; termina depois do movimento</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="250"/>
        <source>Stop recording</source>
        <translation>Parar gravação</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="250"/>
        <source>Start recording</source>
        <translation>Iniciar gravação</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="257"/>
        <source>Alarm tile: a camera in motion is brought here</source>
        <translation>Quadro de alarme: uma câmera em movimento é trazida para cá</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="264"/>
        <source>FROZEN</source>
        <translation>CONGELADA</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="264"/>
        <source>BLINDED</source>
        <translation>CEGADA</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="264"/>
        <source>MOVED</source>
        <translation>MOVIDA</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="272"/>
        <source>The view changed at once: the camera may have been turned or moved. Check it, then click here: its new view becomes the normal one.</source>
        <translation>A imagem mudou de repente: a câmera pode ter sido virada ou movida. Verifique e clique aqui: a nova imagem passa a ser a normal.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="275"/>
        <source>Tamper alert: it clears by itself when the picture is normal again.</source>
        <translation>Alerta de sabotagem: some sozinho quando a imagem voltar ao normal.</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="330"/>
        <source>Unmute</source>
        <translation>Ativar som</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/info_bar.py" line="330"/>
        <source>Mute</source>
        <translation>Silenciar</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="66"/>
        <source>Previous day</source>
        <translation>Dia anterior</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="70"/>
        <source>Next day</source>
        <translation>Dia seguinte</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="77"/>
        <source>Today</source>
        <translation>Hoje</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="79"/>
        <source>Whole day</source>
        <translation>Dia inteiro</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="80"/>
        <source>Zoom out to the whole day (the wheel zooms in to a minute)</source>
        <translation>Afastar para o dia inteiro (a roda aproxima até um minuto)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="88"/>
        <source>archived</source>
        <translation>arquivada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="89"/>
        <source>on this disk</source>
        <translation>neste disco</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="90"/>
        <source>recording</source>
        <translation>gravando</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="91"/>
        <source>gap</source>
        <translation>lacuna</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="113"/>
        <source>No cameras yet</source>
        <translation>Nenhuma câmera ainda</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="243"/>
        <source>{m} min</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="245"/>
        <source>{h} h {m:02d} min</source>
        <translation>{h} h {m:02d} min</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline_view.py" line="247"/>
        <source>{h} h</source>
        <translation>{h} h</translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline.py" line="122"/>
        <source>Click to play from that moment; wheel to zoom; drag to move</source>
        <translation>Clique para reproduzir a partir desse momento; roda para zoom; arraste para mover</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline.py" line="352"/>
        <source>archived</source>
        <translation>arquivada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline.py" line="352"/>
        <source>on this disk</source>
        <translation>neste disco</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline.py" line="353"/>
        <source>recording</source>
        <translation>gravando</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline.py" line="355"/>
        <source>nothing recorded</source>
        <translation>nada gravado</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/recordings/timeline.py" line="358"/>
        <source>bookmark: {0}</source>
        <translation>marcador: {0}</translation>
    </message>
</context>
<context>
    <name>TourDialog</name>
    <message>
        <location filename="../../vidstream_desktop/wall/tours.py" line="133"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tours.py" line="137"/>
        <source>Show each for</source>
        <translation>Mostrar cada um por</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tours.py" line="143"/>
        <source>Steps, in this order (hover or click pauses the tour):</source>
        <translation>Passos, nesta ordem (passar o mouse ou clicar pausa a ronda):</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tours.py" line="161"/>
        <source>Pick at least two steps.</source>
        <translation>Escolha pelo menos dois passos.</translation>
    </message>
</context>
<context>
    <name>TourRunner</name>
    <message>
        <location filename="../../vidstream_desktop/wall/tours.py" line="101"/>
        <source>Tour paused (click to go on)</source>
        <translation>Ronda pausada (clique para continuar)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tours.py" line="101"/>
        <source>Tour: {0} of {1}, every {2:g} s</source>
        <translation>Ronda: {0} de {1}, a cada {2:g} s</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="177"/>
        <source>setting up the stream</source>
        <translation>preparando o fluxo</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="245"/>
        <source>{fps} fps</source>
        <translation>{fps} fps</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="248"/>
        <source>{mbps} Mb/s</source>
        <translation>{mbps} Mb/s</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="250"/>
        <source>{kbps} kb/s</source>
        <translation>{kbps} kb/s</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="307"/>
        <source>LIVE</source>
        <translation>AO VIVO</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="308"/>
        <source>DEGRADED</source>
        <translation>DEGRADADO</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="309"/>
        <source>STALLED</source>
        <translation>PARADA</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="310"/>
        <source>CONNECTING</source>
        <translation>CONECTANDO</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="311"/>
        <source>OFFLINE</source>
        <translation>OFFLINE</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="312"/>
        <source>ERROR</source>
        <translation>ERRO</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="313"/>
        <source>STOPPED</source>
        <translation>PARADO</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="325"/>
        <source>Drag a camera here</source>
        <translation>Arraste uma câmera para cá</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="327"/>
        <source>Connecting to {0}…</source>
        <translation>Conectando a {0}…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/tile.py" line="329"/>
        <source>Camera offline</source>
        <translation>Câmera offline</translation>
    </message>
</context>
<context>
    <name>WallController</name>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="237"/>
        <source>cannot play over {0}: this VLC&apos;s {0} player cannot send the media server&apos;s login; choose another transport for the camera</source>
        <translation>não é possível reproduzir por {0}: o reprodutor {0} deste VLC não envia o login do servidor de mídia; escolha outro transporte para a câmera</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="242"/>
        <source>cannot play {0} live: the media server sends it over {1} only, which this VLC cannot open</source>
        <translation>não é possível ver {0} ao vivo: o servidor de mídia só o envia por {1}, que este VLC não abre</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="262"/>
        <source>{0} is already on the wall</source>
        <translation>{0} já está no mural</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="284"/>
        <source>Stopped recording {0}</source>
        <translation>Gravação de {0} parada</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="288"/>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="328"/>
        <source>Cannot record {0}: {1}</source>
        <translation>Não é possível gravar {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="290"/>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="332"/>
        <source>Recording {0}</source>
        <translation>Gravando {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="318"/>
        <source>{0}: alert acknowledged; its present view is now the normal one</source>
        <translation>{0}: alerta reconhecido; a imagem atual passa a ser a normal</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="334"/>
        <source>Recording {0} cameras</source>
        <translation>Gravando {0} câmeras</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="352"/>
        <source>Snapshot saved to {0}</source>
        <translation>Captura salva em {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="354"/>
        <source>No picture to save yet for {0}</source>
        <translation>Ainda não há imagem para salvar de {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="379"/>
        <source>site unreachable: {0}</source>
        <translation>local inacessível: {0}</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="381"/>
        <source>media server unreachable</source>
        <translation>servidor de mídia inacessível</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="383"/>
        <source>no such path on the media server</source>
        <translation>caminho inexistente no servidor de mídia</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/controllers/wall_controller.py" line="385"/>
        <source>offline: the camera is not sending</source>
        <translation>offline: a câmera não está enviando</translation>
    </message>
</context>
<context>
    <name>WallKeyboard</name>
    <message>
        <location filename="../../vidstream_desktop/wall/keyboard.py" line="88"/>
        <source>Camera {0}… (Enter puts it in the focused tile)</source>
        <translation>Câmera {0}… (Enter a põe no quadro em foco)</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/keyboard.py" line="92"/>
        <source>Camera {0}…</source>
        <translation>Câmera {0}…</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/wall/keyboard.py" line="101"/>
        <source>No camera {0}: cameras are numbered 1 to {1}</source>
        <translation>Não há câmera {0}: as câmeras vão de 1 a {1}</translation>
    </message>
</context>
<context>
    <name>ZoomOverview</name>
    <message>
        <location filename="../../vidstream_desktop/wall/zoom_view.py" line="121"/>
        <source>Digital zoom {0}×: wheel to zoom, drag to move, zoom all the way out to leave</source>
        <translation>Zoom digital {0}×: roda para aproximar, arraste para mover, afaste até o fim para sair</translation>
    </message>
</context>
<context>
    <name>panel</name>
    <message>
        <location filename="../../vidstream_desktop/bookmarks_panel.py" line="274"/>
        <source>Bookmarks</source>
        <translation>Marcadores</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../vidstream_desktop/app.py" line="78"/>
        <source>Configuration error</source>
        <translation>Erro de configuração</translation>
    </message>
    <message>
        <location filename="../../vidstream_desktop/app.py" line="94"/>
        <source>VidStream could not start</source>
        <translation>O VidStream não pôde iniciar</translation>
    </message>
</context>
</TS>
